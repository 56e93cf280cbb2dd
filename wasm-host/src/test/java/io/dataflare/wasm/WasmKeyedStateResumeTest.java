package io.dataflare.wasm;

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
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WASM module's {@code state_*} host functions are the engine's keyed state: the Rust SDK example
 * {@code rust-keys} counts records per key in its state; after a crash the resumed run continues each count from
 * the checkpoint, so every key's counts are 1..n exactly once.
 */
@Timeout(90)
class WasmKeyedStateResumeTest {
    private static final int TOTAL = 20_000;
    private static final int KEYS = 10;
    private static final String PIPELINE = """
            name: wasm-state
            sources: { in: { use: seq, with: { count: %d, keys: %d, chunk: 50 } } }
            processors:
              keys: { use: rust-keys, from: in }
              slow: { use: slow, from: keys }
            sinks: { out: { use: collect, from: slow, with: { name: out } } }
            runtime: { batch_size: 50, checkpoint_interval_ms: 20 }
            """.formatted(TOTAL, KEYS);

    @TempDir
    Path dir;

    WasmTestKit kit;
    volatile long delayMs = 1;
    final CheckpointStore store = new CheckpointStore(new MemoryStateStore());

    @BeforeEach
    void setUp() {
        kit = new WasmTestKit(dir);
        kit.install(Path.of("..", "sdk-examples", "wasm", "rust", "rust-keys-1.0.0.wasm"));
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
                engine.load(PIPELINE, "wasm-state.yaml", ConfigReader.Format.YAML, dir),
                new RunOptions(store, true, "wasm-state"));
    }

    @Test
    void aCrashedRunContinuesEveryKeysCountFromTheCheckpoint() throws Exception {
        PipelineRun first = start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.load("wasm-state").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: the module's state went on past the checkpoint
        first.await();
        assertThat(store.load("wasm-state").orElseThrow().state()).containsKey("keys/0");

        delayMs = 0;
        PipelineResult r = start().await();
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("out");
        assertThat(out).hasSize(TOTAL);
        Map<String, List<Long>> seen = new HashMap<>();
        for (Record rec : out)
            seen.computeIfAbsent(rec.getString("key"), k -> new ArrayList<>()).add(rec.getLong("seen"));
        assertThat(seen).hasSize(KEYS);
        seen.forEach((k, ns) -> assertThat(ns)
                .as("counts of %s", k)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, TOTAL / KEYS).boxed().toList()));
    }
}
