package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python dedupe script with the default {@code timeout_ms} (1,000): the first call of a cold Python context
 * (the class starts its own engine) does not time out, what it prints shows on stderr, and a batch that times
 * out after writing {@code ctx.state} is re-run by the engine from the state before it. Python contexts take
 * seconds to start: the class keeps to two cases.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonCallsTest {
    /** Keeps each key's first record; SLOW_START and SPIN are replaced per case. */
    private static final String DEDUPE = """
            # id: dedupe
            # version: 2.0.0
            # kind: processor
            # capabilities: [state]
            SLOW_START

            def process(batch, ctx):
                if ctx.state.get("warm") is not None:
                    raise RuntimeError("the warm-up's state write was kept")
                out = []
                for r in batch:
                    if ctx.state.get(r["key"]) is None:
                        ctx.state.set(r["key"], True)
                        out.append(r)
                print("batch of %d:" % len(batch), len(out), "new\\nend of batch")
                SPIN
                return out
            """;
    /** Module top-level code that runs longer than timeout_ms: starting the context must not count. */
    private static final String SLOW_START = """
            import time
            time.sleep(1.5)
            """;

    @TempDir
    static Path dir;

    static ScriptPipelines pipelines;

    @BeforeAll
    static void start() {
        pipelines = new ScriptPipelines(dir);
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    /** 108 records, three of each of 36 keys. */
    private static RecordBatch keyed() {
        List<Record> rs = new ArrayList<>();
        for (long i = 0; i < 108; i++)
            rs.add(Record.builder().set("id", i).set("key", "k" + i % 36).build());
        return RecordBatch.of(rs);
    }

    @Test
    @Order(1)
    void theFirstCallOfAColdContextFitsTheDefaultTimeoutAndPrintsToStderr() throws Exception {
        assertThat(pipelines.host(PythonHost.class).runtime().started())
                .as("Python is cold")
                .isFalse();
        LoadedPlugin p = Scripts.load(
                pipelines.host(PythonHost.class),
                dir,
                "dedupe.py",
                DEDUPE.replace("SLOW_START", SLOW_START).replace("SPIN", ""));
        try (StderrCapture err = new StderrCapture();
                Processor proc = Scripts.open(p, Map.of())) {
            long t0 = System.nanoTime();
            RecordBatch out = proc.process(keyed());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("first call of a cold Python context on 108 records: " + ms + " ms");
            assertThat(out.size()).isEqualTo(36);
            assertThat(err.lines())
                    .as("printed while the call ran, one line per printed line")
                    .containsSubsequence(
                            "[dedupe test/dedupe] batch of 108: 36 new", "[dedupe test/dedupe] end of batch")
                    .doesNotContain("[dedupe test/dedupe] ");
        } finally {
            p.close();
        }
    }

    @Test
    @Order(2)
    void aBatchThatTimesOutAfterWritingStateIsReRunFromTheStateBeforeIt() throws Exception {
        pipelines.file("dedupe_spin.py", DEDUPE.replace("SLOW_START", "").replace("SPIN", """
                while len(batch) > 1:
                        pass"""));
        PipelineResult r;
        List<String> stderr;
        try (StderrCapture err = new StderrCapture()) {
            r = pipelines.run("""
                    sources: { in: { use: seq, with: { count: 108, keys: 36 } } }
                    processors: { d: { use: ./dedupe_spin.py, from: in } }
                    sinks: { out: { use: collect, from: d, with: { name: spin } } }
                    runtime: { batch_size: 108 }
                    """);
            stderr = err.lines();
        }
        assertThat(r.state()).as("%s", r.failure()).isEqualTo(PipelineState.COMPLETED);
        Map<String, Long> byKey = pipelines.plugins.collected("spin").stream()
                .collect(Collectors.groupingBy(rec -> rec.getString("key"), Collectors.counting()));
        assertThat(byKey)
                .as("36 of 36 keys, each once")
                .hasSize(36)
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        assertThat(stderr)
                .filteredOn(l -> l.contains("a call timed out"))
                .singleElement()
                .asString()
                .contains("WARN")
                .contains("python plugin dedupe@2.0.0")
                .contains("stage 'd'")
                .contains("timeout_ms=1000");
    }
}
