package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.wasm.testing.PolicyModules;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A WASM source with df_position / df_seek checkpoints and resumes exactly once, like the file sources. */
@Timeout(60)
class WasmSourceResumeTest {
    private static final int TOTAL = 20_000;
    private static final String PIPELINE = """
            name: wasm-resume
            sources: { in: { use: counter } }
            processors: { p: { use: slow, from: in } }
            sinks: { out: { use: collect, from: p, with: { name: out } } }
            runtime: { batch_size: 50, checkpoint_interval_ms: 20 }
            """;

    @TempDir
    Path dir;

    WasmTestKit kit;
    volatile long delayMs = 1;
    final CheckpointStore store = new CheckpointStore(new MemoryStateStore());

    @BeforeEach
    void setUp() {
        kit = new WasmTestKit(dir);
        kit.install("counter-1.0.0", wat(PolicyModules.counter(TOTAL, -1, true)), manifest("counter", "source", ""));
        kit.inProcess().processor("slow", () -> b -> {
            if (delayMs > 0) Thread.sleep(delayMs);
            return b;
        });
    }

    @AfterEach
    void close() {
        kit.close();
    }

    private PipelineRun start() {
        var engine = kit.engine();
        return engine.start(
                engine.load(PIPELINE, "wasm-resume.yaml", ConfigReader.Format.YAML, dir),
                new RunOptions(store, true, "wasm-resume"));
    }

    @Test
    void aCancelledRunResumesFromItsLastCheckpointWithEveryRecordOnce() throws Exception {
        PipelineRun first = start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("wasm-resume").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: no final checkpoint; records after the last one may have been written
        first.await();
        Checkpoint cp = store.load("wasm-resume").orElseThrow();
        Map<String, Object> position = cp.sources().get("in");
        long at = Long.parseLong((String) position.get("wasm"));
        assertThat(at).as("the module's own position text is in the checkpoint").isBetween(1L, (long) TOTAL - 1);
        assertThat(((Number) cp.sinks().get("out").get("count")).longValue()).isEqualTo(at);

        delayMs = 0;
        PipelineRun second = start();
        assertThat(second.resumedFrom().id()).isEqualTo(cp.id());
        PipelineResult r = second.await();
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(r.stats().recordsIn())
                .as("the resumed run polls from the position on")
                .isEqualTo(TOTAL - at);
        assertEveryRecordOnce(kit.collected("out"));
    }

    @Test
    void aStoppedRunContinuesWhereItStopped() throws Exception {
        PipelineRun first = start();
        await().atMost(Duration.ofSeconds(30)).until(() -> kit.collected("out").size() > 2_000);
        first.stop();
        assertThat(first.await().state()).isEqualTo(PipelineState.STOPPED);
        assertThat(Long.parseLong((String) store.load("wasm-resume")
                        .orElseThrow()
                        .sources()
                        .get("in")
                        .get("wasm")))
                .isEqualTo(kit.collected("out").size());
        delayMs = 0;
        assertThat(start().await().state()).isEqualTo(PipelineState.COMPLETED);
        assertEveryRecordOnce(kit.collected("out"));
    }

    private static void assertEveryRecordOnce(List<Record> out) {
        assertThat(out).hasSize(TOTAL);
        assertThat(out.stream().map(r -> r.getLong("id")).distinct().count()).isEqualTo(TOTAL);
    }
}
