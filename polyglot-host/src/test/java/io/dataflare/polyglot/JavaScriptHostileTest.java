package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.runtime.PipelineState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile JavaScript: each case is contained, reported with the plugin id, its records dead-lettered, the engine carries on. */
@Timeout(60)
class JavaScriptHostileTest extends HostileScriptTest {
    private static final long TIMEOUT = 300;

    @Override
    String language() {
        return "javascript";
    }

    @Override
    long timeoutMs() {
        return TIMEOUT;
    }

    @Test
    void infiniteLoopIsStoppedByTheTimeLimit() throws Exception {
        String script = "export function map(r) { while (true) {} }\n";
        contained("loop.js", script, ErrorClass.TIMEOUT, "timeout_ms=" + TIMEOUT);
        HostileRuns.assertStopsInTime(
                pipelines.host(JavaScriptHost.class), dir.resolve("loop.js"), TIMEOUT, ErrorClass.TIMEOUT);
    }

    @Test
    void statementLimitStopsALoopAndTheContextIsReplaced() throws Exception {
        HostileRuns.Outcome o = runs.run(
                "spin.js",
                "export function map(r) { if (r.id === 1) for (;;) {} return r; }\n",
                3,
                "statement_limit: 100000, timeout_ms: 5000");
        assertThat(o.result().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(o.out())
                .extracting(r -> r.getLong("id"))
                .containsExactly(0L, 2L); // the next record ran in a new context
        assertThat(o.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getString("error_class")).isEqualTo(ErrorClass.LIMIT);
            assertThat(d.getString("error")).contains("spin@0.0.0").contains("Statement count limit");
        });
    }

    @Test
    void deepRecursionIsAGuestError() throws Exception {
        contained(
                "recurse.js",
                "function f(n) { return f(n + 1) + 1; }\nexport function map(r) { return { x: f(0) }; }\n",
                ErrorClass.PLUGIN_ERROR,
                "Maximum call stack size exceeded");
    }

    @Test
    void allocationBombIsStoppedByTheAllocationBudget() throws Exception {
        String script =
                "export function map(r) { const a = []; for (;;) a.push(new Array(1000000).fill(r.id + 0.5)); }\n";
        HostileRuns.Outcome o = runs.run("bomb.js", script, 3, "timeout_ms: 5000, alloc_limit_mb: 256");
        HostileRuns.assertContained(o, 3, ErrorClass.LIMIT, "javascript plugin bomb@0.0.0", "alloc_limit_mb");
        // without a budget of its own, the default (a quarter of the heap) or the time limit stops it
        contained("bomb2.js", script, null, "bomb2@0.0.0");
    }

    @Test
    void hostAccessIsNotThere() throws Exception {
        contained(
                "java.js",
                "export function map(r) { return { rt: String(Java.type('java.lang.Runtime')) }; }\n",
                ErrorClass.PLUGIN_ERROR,
                "Java is not defined");
        contained(
                "polyglot.js",
                "export function map(r) { return { v: Polyglot.import('secret') }; }\n",
                ErrorClass.PLUGIN_ERROR,
                "Polyglot is not defined");
    }

    @Test
    void filesCannotBeRead() throws Exception {
        contained(
                "fs.js",
                "export function map(r) { const fs = require('fs'); return { p: fs.readFileSync('/etc/passwd', 'utf8') }; }\n",
                ErrorClass.PLUGIN_ERROR,
                "require is not defined");
        contained(
                "load.js",
                "export function map(r) { load('/etc/passwd'); return r; }\n",
                ErrorClass.PLUGIN_ERROR,
                "not allowed");
        // a static import is resolved when the module loads: the plugin does not load
        pipelines.file("import-fs.js", "import { readFileSync } from 'fs';\nexport function map(r) { return r; }\n");
        assertThatThrownBy(() -> pipelines.run("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { p: { use: ./import-fs.js, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never } } }
                """))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("import-fs.js");
    }

    @Test
    void processAndEnvironmentAreNotThere() throws Exception {
        contained(
                "exit.js",
                "export function map(r) { process.exit(1); }\n",
                ErrorClass.PLUGIN_ERROR,
                "process is not defined");
        contained(
                "env.js",
                "export function map(r) { return { home: process.env.HOME }; }\n",
                ErrorClass.PLUGIN_ERROR,
                "process is not defined");
    }

    @Test
    void prototypePollutionStaysInItsOwnContext() throws Exception {
        pipelines.file("polluter.js", """
                Object.prototype.polluted = 'yes';
                export function map(r) { Object.prototype.polluted = 'yes'; JSON.parse = () => ({}); return r; }
                """);
        pipelines.file(
                "victim.js",
                "export function map(r) { return { ...r, seen: ({}).polluted ?? 'clean', json: JSON.parse('1') }; }\n");
        // the polluter runs first in the same pipeline, and again in another run; the victim never sees it
        var r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 5 } } }
                processors:
                  a: { use: ./polluter.js, from: in }
                  b: { use: ./victim.js, from: a }
                sinks: { out: { use: collect, from: b, with: { name: victim } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("victim")).hasSize(5).allSatisfy(v -> {
            assertThat(v.get("seen")).isEqualTo("clean");
            assertThat(v.get("json")).isEqualTo(1L);
        });
    }

    @Test
    void aSyntaxErrorIsAValidationErrorNamingTheFile() throws Exception {
        pipelines.file("broken.js", "export function map(r) {\n  return r +;\n}\n");
        assertThatThrownBy(() -> pipelines.run("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { p: { use: ./broken.js, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never } } }
                """))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broken.js")
                .hasMessageContaining("syntax error");
        // the engine carries on
        assertThat(runs.run("after.js", "export function map(r) { return r; }\n", 2, "timeout_ms: 1000")
                        .out())
                .hasSize(2);
    }

    @Test
    void aThrowingScriptDeadLettersItsRecords() throws Exception {
        contained(
                "throws.js",
                "export function map(r) { throw new Error('boom ' + r.id); }\n",
                ErrorClass.PLUGIN_ERROR,
                "boom");
    }
}
