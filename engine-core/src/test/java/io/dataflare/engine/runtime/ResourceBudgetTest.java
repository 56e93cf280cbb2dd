package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code runtime.memory_mb} and {@code runtime.max_records_per_second}: the records in flight stay within the
 * memory budget by their measured size (not only by their count), and the sources read no faster than the rate.
 */
@Timeout(120)
class ResourceBudgetTest {
    private static final String FAT = "x".repeat(10_000);

    private final InProcessPlugins plugins = new InProcessPlugins().processor("fat", () -> b -> {
        RecordBatch.Builder out = RecordBatch.builder(b.size());
        for (Record r : b) out.add(r.toBuilder().set("payload", FAT).build());
        return out.position(b.position()).build();
    });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    /** The most records in flight (read by the source, not yet written by the sink) while the run lasts. */
    private long maxInFlight(String runtime) throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 8000 } } }
                processors: { p: { use: fat, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: slow, delay_ms: 2 } } }
                runtime: { batch_size: 200, %s }
                """.formatted(runtime)));
        long max = 0;
        long seenAfterWarmUp = 0;
        while (!run.state().isTerminal()) {
            StatsSnapshot s = run.stats();
            long written = s.stages().get(2).recordsIn();
            // the budget learns the records' size from the first batches, sent before it knew: measure once those are
            // through
            if (written >= 3000) {
                max = Math.max(max, s.recordsIn() - written);
                seenAfterWarmUp++;
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
        }
        assertThat(run.await().stats().recordsOut()).isEqualTo(8000);
        assertThat(seenAfterWarmUp).isPositive();
        return max;
    }

    @Test
    void aMemoryBudgetBoundsTheRecordsInFlightByTheirMeasuredSize() throws Exception {
        // records of about 20 KB: 2 MB hold about 100 of them, where the queues alone would hold 13 x 200
        long budgeted = maxInFlight("memory_mb: 2");
        long unbudgeted = maxInFlight("queue_batches: 4");
        assertThat(budgeted).as("within 2 MB of 20 KB records").isLessThanOrEqualTo(2L * 1024 * 1024 / 20_000 + 13);
        assertThat(unbudgeted).as("the queues alone let far more through").isGreaterThan(4 * budgeted);
    }

    @Test
    void aRateLimitHoldsTheSourcesToIt() throws Exception {
        long t0 = System.nanoTime();
        PipelineResult r = engine.start(TestEngines.plan(engine, """
                        sources: { in: { use: seq, with: { count: 3000 } } }
                        sinks: { out: { use: collect, from: in, with: { name: paced } } }
                        runtime: { max_records_per_second: 2000 }
                        """)).await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.stats().recordsOut()).isEqualTo(3000);
        assertThat(seconds).as("3000 records at 2000/s").isGreaterThanOrEqualTo(1.3);
    }

    @Test
    void limitsAreCheckedWithTheirLocation() {
        try {
            TestEngines.plan(engine, """
                    sources: { in: { use: seq, with: { count: 3 } } }
                    sinks: { out: { use: collect, from: in, with: { name: x } } }
                    runtime: { memory_mb: 0, max_records_per_second: -1 }
                    """);
            throw new AssertionError("no problem reported");
        } catch (InvalidConfigException e) {
            assertThat(e.getMessage())
                    .contains("test.yaml:3:", "'memory_mb' must be between 1 and 1048576, found 0")
                    .contains("'max_records_per_second' must be between 1 and 1000000000, found -1");
        }
    }
}
