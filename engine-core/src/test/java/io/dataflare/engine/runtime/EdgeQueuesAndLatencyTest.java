package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue on each edge of a running pipeline and the end-to-end record latency, as the run's stats show them. */
@Timeout(60)
class EdgeQueuesAndLatencyTest {
    /** Opened by the test: until then the {@code gate} sink blocks in its first write. */
    private final CountDownLatch open = new CountDownLatch(1);

    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("identity", () -> b -> b)
            .add(new SinkFactory() {
                @Override
                public String name() {
                    return "gate";
                }

                @Override
                public Sink create(PluginContext context) {
                    return (RecordBatch batch, Rejections rejections) -> open.await();
                }
            });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        open.countDown();
        engine.close();
    }

    @Test
    void aBlockedSinkFillsTheQueueOfTheEdgeIntoIt() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 100000000 } } }
                processors: { p: { use: identity, from: in } }
                sinks: { out: { use: gate, from: p } }
                runtime: { batch_size: 10, queue_batches: 3 }
                """));
        // the sink holds one batch in its write; the edge into it fills up to its capacity and stays full
        await().atMost(Duration.ofSeconds(20)).until(() -> edge(run, "p", "out").depth() == 3);
        EdgeSnapshot into = edge(run, "p", "out");
        assertThat(into.capacity()).isEqualTo(3);
        assertThat(run.stats().edges())
                .extracting(EdgeSnapshot::from, EdgeSnapshot::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("in", "p"),
                        org.assertj.core.groups.Tuple.tuple("p", "out"));
        // the processor, blocked on the full edge, lets the edge in front of it fill too
        await().atMost(Duration.ofSeconds(20)).until(() -> edge(run, "in", "p").depth() == 3);
        open.countDown();
        run.stop();
        run.await(Duration.ofSeconds(20));
        assertThat(edge(run, "p", "out").depth()).as("stop drains every queue").isZero();
    }

    @Test
    void aSlowSinkMakesTheMedianLatencyAtLeastItsDelay() throws Exception {
        long delayMs = 30;
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 500 } } }
                processors: { p: { use: identity, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: slow, delay_ms: %d } } }
                runtime: { batch_size: 50 }
                """.formatted(delayMs)));
        PipelineResult result = run.await(Duration.ofSeconds(30));
        assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
        LatencySnapshot latency = result.stats().latency();
        // every record written was measured, and none was acknowledged before the sink's delay had passed
        assertThat(latency.records()).isEqualTo(500);
        assertThat(latency.p50Ms()).isGreaterThanOrEqualTo(delayMs * 0.99);
        assertThat(latency.p99Ms()).isGreaterThanOrEqualTo(latency.p50Ms());
        assertThat(latency.maxMs()).isGreaterThanOrEqualTo(latency.p99Ms());
    }

    @Test
    void aRunWithNothingWrittenHasNoLatency() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 0 } } }
                sinks: { out: { use: collect, from: in, with: { name: none } } }
                """));
        assertThat(run.await(Duration.ofSeconds(30)).stats().latency()).isEqualTo(LatencySnapshot.NONE);
    }

    private static EdgeSnapshot edge(PipelineRun run, String from, String to) {
        return run.stats().edges().stream()
                .filter(e -> e.from().equals(from) && e.to().equals(to))
                .findFirst()
                .orElseThrow();
    }
}
