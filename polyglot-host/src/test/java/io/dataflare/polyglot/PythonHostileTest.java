package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.runtime.PipelineState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile Python: each case is contained, reported with the plugin id, its records dead-lettered, the
 * engine carries on. A well-behaved JavaScript stage runs beside each (its contexts start in milliseconds).
 */
@Timeout(120)
class PythonHostileTest extends HostileScriptTest {
    private static final long TIMEOUT = 1000;

    @Override
    String language() {
        return "python";
    }

    @Override
    long timeoutMs() {
        return TIMEOUT;
    }

    @Test
    void infiniteLoopIsStoppedByTheTimeLimit() throws Exception {
        contained(
                "loop.py", "def map(r):\n    while True:\n        pass\n", ErrorClass.TIMEOUT, "timeout_ms=" + TIMEOUT);
        HostileRuns.assertStopsInTime(
                pipelines.host(PythonHost.class), dir.resolve("loop.py"), TIMEOUT, ErrorClass.TIMEOUT);
    }

    @Test
    void deepRecursionIsAGuestError() throws Exception {
        contained(
                "recurse.py",
                "def f(n):\n    return f(n + 1) + 1\n\ndef map(r):\n    return {'x': f(0)}\n",
                ErrorClass.PLUGIN_ERROR,
                "RecursionError");
    }

    @Test
    void allocationBombIsStoppedByTheAllocationBudget() throws Exception {
        HostileRuns.Outcome o = runs.run(
                "bomb.py",
                "def map(r):\n    a = []\n    while True:\n        a.append([r['id'] + 0.5] * 1000000)\n",
                // a generous time limit: on a loaded machine the budget, not the clock, must be what stops it
                3,
                "timeout_ms: 10000, alloc_limit_mb: 256");
        HostileRuns.assertContained(o, 3, ErrorClass.LIMIT, "python plugin bomb@0.0.0", "alloc_limit_mb");
    }

    @Test
    void javaIsNotReachable() throws Exception {
        contained(
                "java_type.py",
                "import java\n\ndef map(r):\n    return {'rt': str(java.type('java.lang.Runtime'))}\n",
                ErrorClass.PLUGIN_ERROR,
                "python plugin java_type");
        contained(
                "polyglot_eval.py",
                "import polyglot\n\ndef map(r):\n    return {'v': polyglot.eval(language='js', string='1')}\n",
                ErrorClass.PLUGIN_ERROR,
                "python plugin polyglot_eval");
    }

    @Test
    void filesCannotBeRead() throws Exception {
        contained(
                "passwd.py",
                "def map(r):\n    with open('/etc/passwd') as f:\n        return {'p': f.read()}\n",
                ErrorClass.PLUGIN_ERROR,
                "Operation not permitted");
    }

    @Test
    void processesCannotBeStarted() throws Exception {
        contained(
                "system.py",
                "import os\n\ndef map(r):\n    os.system('id')\n    return r\n",
                ErrorClass.PLUGIN_ERROR,
                "python plugin system");
    }

    @Test
    void theEnvironmentIsEmpty() throws Exception {
        HostileRuns.Outcome o = runs.run(
                "environ.py",
                "import os\n\ndef map(r):\n    return {'keys': sorted(os.environ), 'home': os.environ.get('HOME')}\n",
                2,
                "timeout_ms: " + TIMEOUT);
        assertThat(o.result().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(o.out()).hasSize(2).allSatisfy(r -> {
            assertThat(r.getList("keys"))
                    .as("no host variable is visible")
                    .doesNotContainAnyElementsOf(System.getenv().keySet());
            assertThat(r.get("home")).isNull();
        });
    }

    @Test
    void socketsCannotBeOpened() throws Exception {
        contained(
                "net.py",
                "import socket\n\ndef map(r):\n    socket.create_connection(('127.0.0.1', 9), timeout=0.2)\n    return r\n",
                ErrorClass.PLUGIN_ERROR,
                "python plugin net");
    }

    @Test
    void changedBuiltinsStayInTheirOwnContext() throws Exception {
        pipelines.file(
                "polluter.py",
                "import builtins\nbuiltins.len = lambda x: 42\n\ndef map(r):\n    builtins.sum = None\n    return r\n");
        pipelines.file("victim.py", "def map(r):\n    return {**r, 'len': len('abc'), 'sum': sum([1, 2])}\n");
        var r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 3 } } }
                processors:
                  a: { use: ./polluter.py, from: in }
                  b: { use: ./victim.py, from: a }
                sinks: { out: { use: collect, from: b, with: { name: victim } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("victim")).hasSize(3).allSatisfy(v -> {
            assertThat(v.get("len")).isEqualTo(3L);
            assertThat(v.get("sum")).isEqualTo(3L);
        });
    }

    @Test
    void aSyntaxErrorIsAValidationErrorNamingTheFile() throws Exception {
        pipelines.file("broken.py", "def map(r)\n    return r\n");
        assertThatThrownBy(() -> pipelines.run("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { p: { use: ./broken.py, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never } } }
                """))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broken@0.0.0")
                .hasMessageContaining("broken.py");
        assertThat(runs.run("after.py", "def map(r):\n    return r\n", 2, "timeout_ms: 5000")
                        .out())
                .hasSize(2);
    }

    @Test
    void aThrowingScriptDeadLettersItsRecords() throws Exception {
        contained(
                "raises.py",
                "def map(r):\n    raise RuntimeError('boom %d' % r['id'])\n",
                ErrorClass.PLUGIN_ERROR,
                "boom");
    }
}
