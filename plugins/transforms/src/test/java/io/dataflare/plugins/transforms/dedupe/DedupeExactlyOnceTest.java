package io.dataflare.plugins.transforms.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run cancelled like a crash and resumed from its checkpoint keeps each key exactly once: the keys seen before
 * the checkpoint are restored with it, so the replayed records after it are recognised, none lost, none doubled.
 */
@Timeout(90)
class DedupeExactlyOnceTest {
    private static final long COUNT = 40_000;
    private static final long KEYS = 20_000; // the first half of the records are new keys, the second half repeats
    private static final String PIPELINE = """
            name: dedupe
            sources: { in: { use: seq, with: { count: %d, keys: %d, chunk: 100 } } }
            processors:
              slow: { use: slow, from: in }
              dedupe: { use: dedupe, from: slow, parallelism: 2, routing: { key: key }, with: { key: [key] } }
            sinks: { out: { use: collect, from: dedupe, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 20, state: { backend: %s } }
            """;

    private volatile long delayMs;
    private String backend = "memory";
    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new DedupeFactory())
            .processor("slow", () -> batch -> {
                if (delayMs > 0) Thread.sleep(delayMs);
                return batch;
            });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(CheckpointStore store, long delay) {
        delayMs = delay;
        return engine.start(
                TestEngines.plan(engine, PIPELINE.formatted(COUNT, KEYS, backend)),
                new RunOptions(store, true, "dedupe"));
    }

    @Test
    void aResumedRunRemembersTheKeysSeenBeforeItsCheckpointWithRocksDb() throws Exception {
        backend = "rocksdb";
        aResumedRunRemembersTheKeysSeenBeforeItsCheckpoint();
    }

    @Test
    void aResumedRunRemembersTheKeysSeenBeforeItsCheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        PipelineRun first = start(store, 2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("dedupe").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: the state went on past the last checkpoint
        first.await();
        assertThat(store.load("dedupe").orElseThrow().state()).containsKeys("dedupe/0", "dedupe/1");

        PipelineRun second = start(store, 0);
        assertThat(second.resumedFrom()).isNotNull();
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);
        List<Long> ids = plugins.collected("out").stream()
                .map(r -> r.getLong("id"))
                .sorted()
                .toList();
        assertThat(ids)
                .as("the first record of each key, each once")
                .containsExactlyElementsOf(LongStream.range(0, KEYS).boxed().toList());
    }
}
