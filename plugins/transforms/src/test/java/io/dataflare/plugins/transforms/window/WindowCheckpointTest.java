package io.dataflare.plugins.transforms.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window contents are keyed state: a run cancelled like a crash and resumed from its checkpoint emits every
 * window exactly once, each with exactly its records (none lost with the crash, none counted twice).
 */
@Timeout(120)
class WindowCheckpointTest {
    // ids are the event times (ms): key k<i> has ids i, i + 50, ...: two records in every 100 ms window
    private static final String PIPELINE = """
            name: windows
            sources: { in: { use: seq, with: { count: 50000, keys: 50, chunk: 100 } } }
            processors:
              slow: { use: slow, from: in }
              win:
                use: window
                from: slow
                parallelism: 2
                routing: { key: key }
                with:
                  type: tumbling
                  size_ms: 100
                  key: key
                  event_time: id
                  aggregates: { n: "count()", first: "first(id)" }
            sinks: { out: { use: collect, from: win, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 20, state: { backend: %s } }
            """;

    private volatile long delayMs;
    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("slow", () -> batch -> {
                if (delayMs > 0) Thread.sleep(delayMs);
                return batch;
            })
            .add(new WindowFactory());
    private final Engine engine = TestEngines.withPlugins(plugins);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(CheckpointStore store, String backend, long delayMs) {
        this.delayMs = delayMs;
        return engine.start(
                TestEngines.plan(engine, PIPELINE.formatted(backend)), new RunOptions(store, true, "windows"));
    }

    private void crashAndResume(String backend) throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        PipelineRun first = start(store, backend, 1);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.load("windows").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: no final checkpoint, windows went on past the last one
        first.await();
        assertThat(plugins.collected("out"))
                .as("some windows fired before the crash")
                .isNotEmpty();

        PipelineRun second = start(store, backend, 0);
        assertThat(second.resumedFrom()).isNotNull();
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);

        List<Record> out = plugins.collected("out");
        Map<String, Record> byWindow = new HashMap<>();
        for (Record r : out) {
            String window = r.get("key") + "@" + r.getTimestamp("window_start").toEpochMilli();
            assertThat(byWindow.put(window, r))
                    .as("window %s emitted once", window)
                    .isNull();
        }
        assertThat(byWindow).hasSize(500 * 50);
        for (Record r : out) {
            long start = r.getTimestamp("window_start").toEpochMilli();
            long k = Long.parseLong(r.getString("key").substring(1));
            assertThat(r.getLong("n")).as("records of %s", r).isEqualTo(2L);
            assertThat(r.getLong("first")).isEqualTo(start + k);
        }
    }

    @Test
    void aCrashedWindowRunResumesExactlyOnceInMemoryState() throws Exception {
        crashAndResume("memory");
    }

    @Test
    void aCrashedWindowRunResumesExactlyOnceInRocksDb() throws Exception {
        crashAndResume("rocksdb");
    }
}
