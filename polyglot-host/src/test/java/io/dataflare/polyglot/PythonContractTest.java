package io.dataflare.polyglot;

import static io.dataflare.polyglot.Scripts.ids;
import static io.dataflare.polyglot.Scripts.load;
import static io.dataflare.polyglot.Scripts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script contract in Python. Every processor instance starts a Python context (about a second once
 * the engine is warm, several for the first), so the class shares one host and keeps the cases few.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonContractTest {
    @TempDir
    static Path dir;

    static PythonHost host;

    @BeforeAll
    static void start() {
        host = new PythonHost();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    @Order(1)
    void listingAPythonPluginDoesNotStartPython() throws Exception {
        LoadedPlugin literal = load(host, dir, "literal.py", """
                manifest = {
                    "id": "enrich", "version": "2.0.1", "kind": "processor",  # a comment
                    "capabilities": ["state"],
                    "config": {"rate": {"type": "double", "default": 1.5}, "strict": {"type": "boolean", "default": False}},
                }

                def map(record):
                    return record
                """);
        assertThat(literal.manifest().label()).isEqualTo("enrich@2.0.1");
        assertThat(literal.manifest().capabilities()).containsExactly("state");
        assertThat(Scripts.factory(literal).configSpec().option("strict").defaultValue())
                .isEqualTo(false);
        LoadedPlugin comment = load(host, dir, "comment.py", """
                #!/usr/bin/env python3
                # id: tidy
                # version: 0.3.0
                # kind: processor
                def filter(r):
                    return True
                """);
        assertThat(comment.manifest().label()).isEqualTo("tidy@0.3.0");
        assertThat(load(host, dir, "bare_script.py", "def map(r):\n    return r\n")
                        .manifest()
                        .label())
                .isEqualTo("bare_script@0.0.0");
        assertThat(host.runtime().started()).as("no Python engine yet").isFalse();
    }

    @Test
    @Order(2)
    void mapKeepsIntsFloatsAndOtherTypes() throws Exception {
        LoadedPlugin p = load(host, dir, "types.py", """
                def map(r):
                    out = dict(r)
                    out['n'] = r['n'] + 1
                    out['f'] = r['n'] * 1.0         # a whole float stays a double
                    out['i'] = int(r['d'])
                    out['text'] = r['s'].upper()
                    out['list'] = r['list'] + [3]
                    out['obj'] = {**r['obj'], 'y': 2}
                    out['none'] = None
                    return out
                """);
        Instant ts = Instant.parse("2024-05-01T10:00:00Z");
        Record in = Record.builder()
                .set("n", 41L)
                .set("d", 2.5)
                .set("s", "abc")
                .set("ts", ts)
                .set("list", List.of(1L, 2L))
                .set("obj", Map.of("x", 1L))
                .key("k")
                .build();
        try (Processor proc = open(p, Map.of())) {
            Record out = proc.process(RecordBatch.of(in)).get(0);
            assertThat(out.get("n")).isEqualTo(42L);
            assertThat(out.get("f")).isEqualTo(41.0);
            assertThat(out.get("i")).isEqualTo(2L);
            assertThat(out.get("d")).isEqualTo(2.5);
            assertThat(out.get("text")).isEqualTo("ABC");
            assertThat(out.get("ts")).isEqualTo(ts);
            assertThat(out.getList("list")).containsExactly(1L, 2L, 3L);
            assertThat(out.getMap("obj")).containsEntry("x", 1L).containsEntry("y", 2L);
            assertThat(out.has("none")).isTrue();
            assertThat(out.key()).isEqualTo("k");
        }
    }

    @Test
    @Order(3)
    void processFilterFlatMapRejectStateAndConfig() throws Exception {
        LoadedPlugin p = load(host, dir, "all.py", """
                manifest = {"id": "all", "version": "1.0.0", "kind": "processor", "capabilities": ["state"],
                            "config": {"mode": {"type": "string", "required": True}}}

                def _flat(r):
                    return [{"id": r["id"], "part": i} for i in range(r["id"])]

                def _process(batch, ctx):
                    total = ctx.state.get("total", 0) + sum(r["id"] for r in batch)
                    ctx.state.set("total", total)
                    for r in batch:
                        if r["id"] == 3:
                            ctx.reject(r, "three")
                    ctx.log.info("batch of %d" % len(batch))
                    print("printed to the log")
                    return [{"total": total, "mode": ctx.config["mode"]}]

                mode = "process"
                process = _process
                """);
        try (Processor proc = open(p, Map.of("mode", "sum"))) {
            proc.process(ids(4));
            RecordBatch out = proc.process(ids(4));
            assertThat(out.get(0).get("total")).isEqualTo(12L);
            assertThat(out.get(0).get("mode")).isEqualTo("sum");
            assertThat(out.rejections())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).isEqualTo("three"));
        }
        LoadedPlugin f = load(host, dir, "odd.py", "def filter(r):\n    return r['id'] % 2 == 1\n");
        LoadedPlugin fm = load(
                host,
                dir,
                "split.py",
                "def flat_map(r, ctx):\n    return [{'id': r['id'], 'part': i} for i in range(r['id'])]\n");
        RecordBatch in = ids(4);
        try (Processor odd = open(f, Map.of());
                Processor split = open(fm, Map.of())) {
            RecordBatch kept = odd.process(in);
            assertThat(kept.size()).isEqualTo(2);
            assertThat(kept.get(0)).isSameAs(in.get(1));
            assertThat(split.process(in).size()).isEqualTo(6);
        }
    }

    @Test
    @Order(4)
    void errorsNameThePluginAndLine() throws Exception {
        LoadedPlugin p = load(host, dir, "boom.py", """
                def map(r):
                    if r["id"] == 1:
                        raise ValueError("no ones")
                    return r
                """);
        try (Processor proc = open(p, Map.of())) {
            assertThatThrownBy(() -> proc.process(ids(2)))
                    .isInstanceOfSatisfying(
                            PluginException.class,
                            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.PLUGIN_ERROR))
                    .hasMessageContaining("python plugin boom@0.0.0")
                    .hasMessageContaining("no ones")
                    .hasMessageContaining("boom.py:3");
        }
        LoadedPlugin none = load(host, dir, "nothing.py", "x = 1\n");
        assertThatThrownBy(() -> open(none, Map.of())).hasMessageContaining("defines none of");
        LoadedPlugin syntax = load(host, dir, "syntax.py", "def map(r)\n    return r\n");
        assertThatThrownBy(() -> open(syntax, Map.of()))
                .as("a config (validation) error")
                .isInstanceOf(io.dataflare.api.config.ConfigException.class)
                .hasMessageContaining("syntax.py:1");
    }

    /**
     * The batch loop reads and writes the host arrays with the GIL held (GraalPy otherwise unlocks and locks it
     * around every value handed over): the plugin's function, called inside the loop, finds it held, and a
     * record that does not cross in the arrays (a list value) comes out as well.
     */
    @Test
    @Order(5)
    void theBatchLoopHoldsTheGilAcrossHostArrays() throws Exception {
        LoadedPlugin p = load(host, dir, "gil.py", """
                import polyglot
                def map(r):
                    held = polyglot.__set_gil_locked_during_foreign_calls__(True)
                    polyglot.__set_gil_locked_during_foreign_calls__(held)
                    r['held'] = held
                    if r['id'] == 1:
                        r['list'] = [1, 2]
                    return r
                """);
        try (Processor proc = open(p, Map.of())) {
            RecordBatch out = proc.process(ids(3));
            assertThat(out.records()).extracting(r -> r.get("held")).containsExactly(true, true, true);
            assertThat(out.get(1).get("list")).isEqualTo(List.of(1L, 2L));
        }
    }
}
