package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink's offline buffer: a sink failing with a retryable error sends records to the spool instead of failing
 * the run; they reach the sink once it takes records again, in order (by priority when configured), exactly
 * once, across a stop and a crash, and a full spool holds the pipeline back instead of dropping anything.
 */
@Timeout(120)
class SinkBufferTest {
    private static final String PIPELINE = """
            name: buffered
            sources: { in: { use: seq, with: { count: %d, chunk: 100 } } }
            processors: { prio: { use: prio, from: in } }
            sinks:
              out:
                use: flaky
                from: prio
                buffer: { path: "%s", retry_ms: 20 %s }
            runtime: { batch_size: 100, checkpoint_interval_ms: %d }
            """;

    @TempDir
    Path dir;

    /** The sink's state: what it holds (like a file) and whether it is reachable. */
    private final List<Record> delivered = Collections.synchronizedList(new ArrayList<>());

    private volatile boolean down = true;
    private final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long throttleMs;

    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("prio", () -> b -> {
                if (throttleMs > 0) Thread.sleep(throttleMs);
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (Record r : b)
                    out.add(r.toBuilder().set("prio", r.getLong("id") % 3).build());
                return out.position(b.position()).build();
            })
            .processor("pad", () -> b -> {
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (Record r : b)
                    out.add(r.toBuilder().set("pad", "p".repeat(200)).build());
                return out.position(b.position()).build();
            })
            .add(new FlakySink());
    private final Engine engine = TestEngines.withPlugins(plugins);
    private final CheckpointStore store = new CheckpointStore(new MemoryStateStore());

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(long count, String extra, long checkpointMs, boolean resume) {
        String yaml = PIPELINE.formatted(count, dir.resolve("spool"), extra, checkpointMs);
        return engine.start(TestEngines.plan(engine, yaml), new RunOptions(store, resume, "buffered"));
    }

    private double gauge(String name) {
        Gauge g = engine.meters().find(name).tag("stage", "out").gauge();
        return g == null ? -1 : g.value();
    }

    private List<Long> ids() {
        synchronized (delivered) {
            return delivered.stream().map(r -> r.getLong("id")).toList();
        }
    }

    private static List<Long> range(long n) {
        return Stream.iterate(0L, i -> i + 1).limit(n).toList();
    }

    @Test
    void aSinkThatIsDownGetsEveryRecordOnceInOrderWhenItComesBack() throws Exception {
        PipelineRun run = start(5_000, "", 60_000, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 5_000);
        assertThat(run.state()).as("a sink that is down does not fail the run").isEqualTo(PipelineState.RUNNING);
        assertThat(gauge("dataflare.sink.buffer.sink.down")).isEqualTo(1);
        assertThat(gauge("dataflare.sink.buffer.bytes")).isPositive();
        Thread.sleep(1100);
        assertThat(gauge("dataflare.sink.buffer.oldest.age.seconds")).isGreaterThanOrEqualTo(1.0);
        assertThat(delivered).isEmpty();

        down = false;
        PipelineResult r = run.await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(5_000));
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void withAPriorityFieldHigherPrioritiesAreDrainedFirstEachInOrder() throws Exception {
        PipelineRun run = start(3_000, ", priority_field: prio", 60_000, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 3_000);
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        List<Long> expected = new ArrayList<>();
        for (long p = 2; p >= 0; p--) for (long i = 0; i < 3_000; i++) if (i % 3 == p) expected.add(i);
        assertThat(ids()).containsExactlyElementsOf(expected);
    }

    @Test
    void aStoppedRunLeavesItsSpoolAndTheNextRunDeliversItExactlyOnce() throws Exception {
        throttleMs = 2;
        PipelineRun run = start(20_000, "", 50, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 2_000);
        run.stop();
        assertThat(run.await().state()).isEqualTo(PipelineState.STOPPED);
        assertThat(spoolFiles()).as("the spool is kept for the next run").isNotEmpty();
        assertThat(delivered).isEmpty();

        throttleMs = 0;
        down = false;
        PipelineRun next = start(20_000, "", 50, true);
        assertThat(next.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(20_000));
    }

    @Test
    void aCrashAfterACheckpointDropsWhatWasSpooledSinceAndTheSourceReadsItAgain() throws Exception {
        throttleMs = 2;
        PipelineRun run = start(20_000, "", 30, false);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("buffered").map(Checkpoint::id).orElse(0L) >= 3
                        && gauge("dataflare.sink.buffer.records") >= 2_000);
        run.cancel(); // as a crash: what was spooled after the last checkpoint is read again
        run.await();
        Checkpoint last = store.load("buffered").orElseThrow();
        long spooledAtCheckpoint = ((Number) last.sources().get("in").get("next")).longValue();

        throttleMs = 0;
        down = false;
        PipelineRun next = start(20_000, "", 30, true);
        assertThat(next.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(spooledAtCheckpoint).isPositive();
        assertThat(ids()).as("nothing lost, nothing twice").containsExactlyElementsOf(range(20_000));
    }

    @Test
    void aRunDrainingItsSpoolAtTheEndKeepsCheckpointingSoACrashThenReadsNothingAgain() throws Exception {
        PipelineRun run = start(5_000, "", 30, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 5_000);
        // the input has ended and the sink is down: the run waits for its spool; checkpoints go on
        long atEnd = store.load("buffered").map(Checkpoint::id).orElse(0L);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("buffered").map(Checkpoint::id).orElse(0L) >= atEnd + 2);
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        Checkpoint last = store.load("buffered").orElseThrow();
        assertThat(((Number) last.sources().get("in").get("next")).longValue())
                .as("the checkpoint taken while draining is at the end of the input")
                .isEqualTo(5_000);
        run.cancel(); // as a crash while the sink is down
        run.await();

        down = false;
        PipelineRun next = start(5_000, "", 30, true);
        assertThat(next.await().state()).isEqualTo(PipelineState.COMPLETED);
        long reread = next.stats().stages().stream()
                .filter(st -> st.name().equals("in"))
                .mapToLong(StageSnapshot::recordsOut)
                .sum();
        assertThat(reread).as("the source reads nothing again").isZero();
        assertThat(ids()).as("every record once, from the spool").containsExactlyElementsOf(range(5_000));
    }

    @Test
    void checkpointsGoOnWhileOneSinkDrainsAndAnotherHasEnded() throws Exception {
        PipelineRun run = engine.start(
                TestEngines.plan(engine, """
                        name: buffered
                        sources: { in: { use: seq, with: { count: 5000, chunk: 100 } } }
                        processors: { prio: { use: prio, from: in } }
                        sinks:
                          out: { use: flaky, from: prio, buffer: { path: "%s", retry_ms: 20 } }
                          copy: { use: collect, from: prio, with: { name: copy } }
                        runtime: { batch_size: 100, checkpoint_interval_ms: 30 }
                        """.formatted(dir.resolve("spool"))),
                new RunOptions(store, false, "buffered"));
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 5_000);
        // 'copy' has ended and waits for the final checkpoint; 'out' waits for its sink: checkpoints still go on
        long atEnd = store.load("buffered").map(Checkpoint::id).orElse(0L);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("buffered").map(Checkpoint::id).orElse(0L) >= atEnd + 2);
        Checkpoint last = store.load("buffered").orElseThrow();
        assertThat(last.sinks()).as("the ended sink's final state stands in").containsKeys("out", "copy");
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(5_000));
    }

    @Test
    void aLargeSpoolDrainsInWritesJoiningItsBatches() throws Exception {
        PipelineRun run = start(20_000, "", 60_000, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.records") >= 20_000);
        writes.set(0);
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(20_000));
        // 200 spooled batches of 100 records went to the sink in writes of up to 5,000
        assertThat(writes.get()).isBetween(4, 10);
    }

    @Test
    void underAMemoryBudgetTheDrainingWritesJoinAtMostASixteenthOfIt() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                        name: padded
                        sources: { in: { use: seq, with: { count: 20000, chunk: 100 } } }
                        processors: { pad: { use: pad, from: in } }
                        sinks: { out: { use: flaky, from: pad, buffer: { path: "%s", retry_ms: 20 } } }
                        runtime: { batch_size: 100, memory_mb: 1 }
                        """.formatted(dir.resolve("spool"))), RunOptions.NONE);
        await().atMost(Duration.ofSeconds(60)).until(() -> gauge("dataflare.sink.buffer.records") >= 20_000);
        double bytes = gauge("dataflare.sink.buffer.bytes");
        writes.set(0);
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(20_000));
        // 1 MB / 16 = 64 KiB of spool a write (without the budget: 5,000 records, 4 writes)
        assertThat(bytes).isGreaterThan(8 * 65536);
        assertThat(writes.get()).isGreaterThanOrEqualTo((int) Math.ceil(bytes / 65536));
    }

    @Test
    void aFullSpoolHoldsThePipelineBackAndDropsNothing() throws Exception {
        PipelineRun run = start(20_000, ", max_bytes: 8192", 60_000, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("dataflare.sink.buffer.full") == 1);
        Thread.sleep(300);
        double bytes = gauge("dataflare.sink.buffer.bytes");
        assertThat(bytes).as("at most max_bytes").isLessThanOrEqualTo(8192);
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(engine.meters()
                        .find("dataflare.sink.buffer.backpressure")
                        .functionCounter()
                        .count())
                .isGreaterThanOrEqualTo(1);
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids()).containsExactlyElementsOf(range(20_000));
        assertThat(gauge("dataflare.sink.buffer.full")).isZero();
    }

    @Test
    void aNonRetryableFailureStillGoesToTheErrorPolicy() throws Exception {
        down = false;
        PipelineResult r = engine.start(TestEngines.plan(engine, """
                                sources: { in: { use: seq, with: { count: 10 } } }
                                sinks: { out: { use: flaky, from: in, with: { broken: true }, buffer: { path: "%s" } } }
                                """.formatted(dir.resolve("spool"))), RunOptions.NONE)
                .await();
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("no such table");
    }

    @Test
    void bufferIsReadWithItsProblemsLocated() {
        String yaml = """
                sources: { in: { use: seq, with: { count: 10 }, buffer: { path: x } } }
                sinks:
                  out: { use: flaky, from: in, buffer: { path: x, max_bytes: 10, prio: a } }
                  two: { use: flaky, from: in, buffer: { max_bytes: 100000 } }
                """;
        try {
            TestEngines.plan(engine, yaml);
            throw new AssertionError("no problem reported");
        } catch (InvalidConfigException e) {
            assertThat(e.getMessage())
                    .contains("test.yaml:1:", "'buffer' applies to sinks only")
                    .contains("test.yaml:3:", "'max_bytes' must be between 4096")
                    .contains("unknown key 'prio' in buffer")
                    .contains("test.yaml:4:", "'buffer' needs 'path:'");
        }
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("spool"))) {
            return s.filter(p -> p.toString().endsWith(".batch")).toList();
        }
    }

    /** {@code flaky}: keeps records in memory; while the test says it is down, every write fails to connect. */
    private final class FlakySink implements SinkFactory {
        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("broken", ConfigType.BOOLEAN, false, "fail with a non-retryable error")
                    .build();
        }

        @Override
        public Sink create(PluginContext ctx) {
            boolean broken = ctx.config().getBoolean("broken", false);
            return new Sink() {
                @Override
                public void write(RecordBatch batch, Rejections rejections) throws Exception {
                    if (broken) throw new IllegalStateException("no such table");
                    if (down) throw new ConnectException("connection refused");
                    writes.incrementAndGet();
                    delivered.addAll(batch.records());
                }

                @Override
                public Map<String, Object> checkpoint() {
                    return Map.of("count", delivered.size());
                }

                @Override
                public void restore(Map<String, Object> state) {
                    int count = ((Number) state.get("count")).intValue();
                    synchronized (delivered) {
                        delivered.subList(count, delivered.size()).clear();
                    }
                }
            };
        }
    }
}
