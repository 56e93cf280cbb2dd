package io.dataflare.plugins.transforms.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.QuietSource;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Windows on the engine's timers: closing while no record arrives, and an elastic window stage. */
@Timeout(120)
class WindowTimersTest {
    private volatile long delayMs;
    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new QuietSource())
            .processor("slow", () -> batch -> {
                if (delayMs > 0) Thread.sleep(delayMs);
                return batch;
            })
            .add(new WindowFactory());
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    private List<Record> out() {
        synchronized (plugins.collected("out")) {
            return new ArrayList<>(plugins.collected("out"));
        }
    }

    @Test
    void aProcessingTimeWindowClosesAtItsEndWhileNoRecordArrives() throws Exception {
        QuietSource.polledEmpty = 0;
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: quiet, with: { count: 100, keys: 5 } } }
                processors:
                  win:
                    use: window
                    from: in
                    parallelism: 2
                    routing: { key: key }
                    with: { type: tumbling, size_ms: 400, key: key, time: processing, aggregates: { n: "count()" } }
                sinks: { out: { use: collect, from: win, with: { name: out } } }
                """));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> out().stream().mapToLong(r -> r.getLong("n")).sum() >= 100);
        assertThat(run.state())
                .as("the input has not ended: the windows closed on their timers")
                .isEqualTo(PipelineState.RUNNING);
        assertThat(QuietSource.polledEmpty).as("the source had gone quiet").isPositive();
        for (Record r : out())
            assertThat(r.getTimestamp("window_end").toEpochMilli())
                    .as("a window is emitted once it is over")
                    .isLessThanOrEqualTo(System.currentTimeMillis());
        Thread.sleep(600);
        run.stop();
        run.await();
        List<Record> out = out();
        assertThat(out.stream().mapToLong(r -> r.getLong("n")).sum())
                .as("every record in one window, each window emitted once")
                .isEqualTo(100);
        assertThat(out.stream()
                        .map(r -> r.get("key") + "@" + r.get("window_start"))
                        .distinct()
                        .count())
                .isEqualTo(out.size());
    }

    @Test
    void anElasticWindowStageRescalesWithEveryWindowExactOnce() throws Exception {
        delayMs = 2;
        // ids are the event times (ms): key k<i> has ids i, i + 50, ...: two records in every 100 ms window
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 30000, keys: 50, chunk: 100 } } }
                processors:
                  slow: { use: slow, from: in }
                  win:
                    use: window
                    from: slow
                    parallelism: { min: 1, max: 4 }
                    routing: { key: key }
                    with:
                      type: tumbling
                      size_ms: 100
                      key: key
                      event_time: id
                      aggregates: { n: "count()", first: "first(id)" }
                sinks: { out: { use: collect, from: win, with: { name: out } } }
                runtime: { batch_size: 100 }
                """));
        await().atMost(Duration.ofSeconds(30)).until(() -> out().size() > 500);
        assertThat(run.parallelism("win", new ParallelismChange(3, null, null, null)))
                .isNotNull();
        int atThree = out().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> out().size() > atThree + 1000);
        assertThat(run.parallelism("win", new ParallelismChange(2, null, null, null)))
                .isNotNull();
        delayMs = 0;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);

        List<Record> out = out();
        Map<String, Record> byWindow = new HashMap<>();
        for (Record r : out) {
            String window = r.get("key") + "@" + r.getTimestamp("window_start").toEpochMilli();
            assertThat(byWindow.put(window, r))
                    .as("window %s emitted once", window)
                    .isNull();
        }
        assertThat(byWindow).hasSize(300 * 50);
        for (Record r : out) {
            long start = r.getTimestamp("window_start").toEpochMilli();
            long k = Long.parseLong(r.getString("key").substring(1));
            assertThat(r.getLong("n")).as("records of %s", r).isEqualTo(2L);
            assertThat(r.getLong("first")).isEqualTo(start + k);
        }
    }
}
