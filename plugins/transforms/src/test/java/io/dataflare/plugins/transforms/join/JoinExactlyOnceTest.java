package io.dataflare.plugins.transforms.join;

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
import io.dataflare.plugins.transforms.map.MapFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join's table is keyed state: a run cancelled like a crash and resumed from its checkpoint enriches every
 * later record from the table as the checkpoint left it (plus the replayed changes), exactly once.
 *
 * <p>One {@code seq} stream of ids 0..N-1 ({@code key} = "k" + id % 1000) plays both inputs, so that the order in
 * which table changes and stream records arrive is fixed: ids in blocks 0-999, 3000-3999, 6000-6999, ... are
 * table rows (row {@code tid} = id), the others orders. An order's {@code tid} is therefore the id of the last
 * table row of its key: {@code id - id % 3000 + id % 1000}.
 */
@Timeout(90)
class JoinExactlyOnceTest {
    private static final long COUNT = 30_000;
    private static final String PIPELINE = """
            name: join
            sources: { in: { use: seq, with: { count: %d, keys: 1000, chunk: 100 } } }
            processors:
              tag:
                use: map
                from: in
                with: { set: { tid: "id" }, headers: { input: "id %% 3000 < 1000 ? 'customers' : 'orders'" } }
              slow: { use: slow, from: tag }
              enrich:
                use: join
                from: slow
                parallelism: 2
                routing: { key: key }
                with: { stream: orders, table: customers, on: { key: key }, fields: [tid], missing: dead-letter }
            sinks: { out: { use: collect, from: enrich, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 20 }
            """.formatted(COUNT);

    private volatile long delayMs;
    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new JoinFactory())
            .add(new MapFactory())
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
        return engine.start(TestEngines.plan(engine, PIPELINE), new RunOptions(store, true, "join"));
    }

    @Test
    void aResumedRunEnrichesFromTheTableItsCheckpointHeld() throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        PipelineRun first = start(store, 2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("join").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel();
        first.await();
        assertThat(store.load("join").orElseThrow().state()).containsKeys("enrich/0", "enrich/1");

        PipelineRun second = start(store, 0);
        assertThat(second.resumedFrom()).isNotNull();
        assertThat(second.await().state()).isEqualTo(PipelineState.COMPLETED);
        List<String> got = plugins.collected("out").stream()
                .map(r -> r.getLong("id") + "->" + r.getLong("tid"))
                .sorted()
                .toList();
        List<String> expected = LongStream.range(0, COUNT)
                .filter(id -> id % 3000 >= 1000)
                .mapToObj(id -> id + "->" + (id - id % 3000 + id % 1000))
                .sorted()
                .toList();
        assertThat(got).containsExactlyElementsOf(expected);
    }
}
