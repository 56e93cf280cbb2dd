package io.dataflare.engine.runtime;

import static io.dataflare.engine.testing.OutputOrder.assertEveryIdOnceInOrder;
import static io.dataflare.engine.testing.OutputOrder.valuesInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.Runs;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap of sources, sinks and policies under load: a newer version of each, dropped into the watched
 * plugins folder while records stream, takes over at a barrier; every record arrives exactly once and in
 * order, the versions change at one point, and the pause is reported. A version that cannot start, cannot
 * seek to the old position or cannot take over the output leaves the old one running, with an event saying why.
 */
@Timeout(120)
class BarrierSwapTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> PAUSES = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    /** Output files: not in the watched plugins folder, whose changes would keep its scan waiting for quiet. */
    @TempDir
    Path outDir;

    /** Holds the {@code stalling} source in its poll until the test counts it down. */
    private final CountDownLatch stall = new CountDownLatch(1);

    private final InProcessPlugins inProcess = new InProcessPlugins()
            .add(new InstanceTag())
            .add(new StallingSource())
            .processor("flaky-batches", () -> new Processor() {
                int calls;

                /** Every other call with more than one record fails (a retry succeeds); single records pass. */
                @Override
                public RecordBatch process(RecordBatch batch) {
                    if (batch.size() > 1 && calls++ % 2 == 0) throw new IllegalStateException("flaky");
                    return batch;
                }
            })
            .processor(
                    "fail-tenth",
                    () -> Processor.mapping(r -> {
                        if ((Long) r.get("id") % 10 == 0) throw new InvalidRecordException("every tenth record fails");
                        return r;
                    }));
    private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
    private Engine engine;
    private PipelineRun run;

    /** {@code tag-instance}: sets {@code inst} to the number of the instance that processed the record. */
    static final class InstanceTag implements ProcessorFactory {
        @Override
        public String name() {
            return "tag-instance";
        }

        @Override
        public Processor create(PluginContext ctx) {
            long instance = ctx.instance();
            return Processor.mapping(r -> r.toBuilder().set("inst", instance).build());
        }
    }

    /** {@code stalling}: ids 0, 1, 2... in polls of 100; the poll after id 2000 does not return until {@link #stall}. */
    final class StallingSource implements SourceFactory {
        @Override
        public String name() {
            return "stalling";
        }

        @Override
        public Source create(PluginContext ctx) {
            Fields fields = Fields.of("id");
            return new Source() {
                long next;

                @Override
                public RecordBatch poll(int max) throws InterruptedException {
                    if (next == 2000) stall.await();
                    if (next >= 5000) return null;
                    RecordBatch.Builder b = RecordBatch.builder(100);
                    for (int i = 0; i < 100; i++, next++) b.add(Record.of(fields, next));
                    return b.position(Map.of("next", next)).build();
                }
            };
        }
    }

    @BeforeEach
    void engine() {
        engine = TestEngines.withFolder(dir, inProcess, true);
        engine.plugins().addListener(events::add);
    }

    @AfterEach
    void close() throws Exception {
        if (run != null) run.close();
        engine.close();
    }

    @AfterAll
    static void report() {
        System.out.println("barrier swap pauses: " + PAUSES);
    }

    private void source(String file, String version, String stamp) throws Exception {
        KindJars.source(dir.resolve(file), version, stamp);
    }

    private void sink(String file, String version, String stamp) throws Exception {
        KindJars.sink(dir.resolve(file), version, stamp);
    }

    private void router(String file, String version, String stamp) throws Exception {
        KindJars.router(dir.resolve(file), version, stamp);
    }

    private void errorPolicy(String file, String version, String stamp) throws Exception {
        KindJars.errorPolicy(dir.resolve(file), version, stamp);
    }

    private void start(String yaml) {
        engine.plugins().scan();
        run = engine.start(TestEngines.plan(engine, yaml));
    }

    private List<Record> out() {
        return inProcess.collected("out");
    }

    private Object last(String field) {
        List<Record> l = out();
        synchronized (l) {
            return l.isEmpty() ? null : l.get(l.size() - 1).get(field);
        }
    }

    /** Waits for {@code condition}; a run that ended meanwhile fails the wait at once, saying why. */
    private void until(Callable<Boolean> condition) {
        await().atMost(WAIT)
                .failFast("the run ended", () -> run != null && run.state().isTerminal())
                .until(condition);
    }

    private void awaitLast(String field, Object value) {
        until(() -> value.equals(last(field)));
    }

    private void awaitMore(int n) {
        int before = out().size();
        until(() -> out().size() >= before + n);
    }

    private PipelineResult stop() throws Exception {
        return Runs.stopCleanly(run, WAIT);
    }

    /** The plugin stage {@code stage} runs now. */
    private String pluginOf(String stage) {
        return run.stats().stages().stream()
                .filter(s -> s.name().equals(stage))
                .findFirst()
                .orElseThrow()
                .plugin();
    }

    private List<Record> outSnapshot() {
        synchronized (out()) {
            return new ArrayList<>(out());
        }
    }

    private PluginEvent awaitEvent(PluginEvent.Kind kind, String plugin) {
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.kind() == kind && plugin.equals(e.plugin())));
        return events.stream()
                .filter(e -> e.kind() == kind && plugin.equals(e.plugin()))
                .findFirst()
                .orElseThrow();
    }

    /** The switch's pause is in the event, in the metric and in the run's switches; kept for the report. */
    private void assertPauseReported(PluginEvent switched, String stage, String kind) {
        assertThat(switched.pause()).isNotNull().isPositive().isLessThan(Duration.ofSeconds(2));
        assertThat(switched.detail()).contains("switched at a barrier, pipeline paused ");
        Timer t = engine.meters()
                .find("dataflare.swap.pause")
                .tags("pipeline", run.name(), "stage", stage, "kind", kind)
                .timer();
        assertThat(t).isNotNull();
        assertThat(t.count()).isEqualTo(1);
        assertThat(run.switches())
                .filteredOn(s -> s.stage().equals(stage))
                .singleElement()
                .satisfies(s ->
                        assertThat(s.maxPauseNanos()).isEqualTo(switched.pause().toNanos()));
        PAUSES.add(
                String.format(Locale.ROOT, "%s %.1f ms", kind, switched.pause().toNanos() / 1e6));
    }

    private static final String SOURCE_PIPELINE = """
            sources: { in: { use: "stamped-seq@^1", with: { count: 1000000000 } } }
            sinks: { out: { use: collect, from: in, with: { name: out, delay_ms: 2 } } }
            runtime: { batch_size: 100 }
            """;

    @Test
    void aNewerSourceSeeksToTheOldOnesPositionAtABarrier() throws Exception {
        source("seqs.jar", "1.0.0", "1.0.0");
        start(SOURCE_PIPELINE);
        awaitMore(2000);
        source("seqs-1.1.jar", "1.1.0", "1.1.0");
        awaitLast("src", "1.1.0");
        awaitMore(2000);
        PipelineResult result = stop();
        assertThat(result.switches())
                .singleElement()
                .satisfies(sw -> assertThat(sw.kind() + " " + sw.stage() + " " + sw.from() + " -> " + sw.to())
                        .isEqualTo("source in seqs@1.0.0 -> seqs@1.1.0"));

        List<Record> rows = outSnapshot();
        assertThat(valuesInOrder(rows, r -> r.get("src"))).containsExactly("1.0.0", "1.1.0");
        assertEveryIdOnceInOrder(rows, r -> r.get("id"));
        PluginEvent e = awaitEvent(PluginEvent.Kind.SWITCHED, "seqs@1.1.0");
        assertThat(e.stage()).isEqualTo("in");
        assertThat(e.detail()).startsWith("from seqs@1.0.0; source 'in' switched at a barrier");
        assertPauseReported(e, "in", "source");
        assertThat(run.plan().stage("in").component().pluginLabel()).isEqualTo("seqs@1.1.0");
        assertThat(run.stats().stages().get(0).plugin()).isEqualTo("seqs@1.1.0");
    }

    @Test
    void aSourceVersionThatCannotSeekOrStartOrLoadLeavesTheOldOneRunning() throws Exception {
        source("seqs.jar", "1.0.0", "1.0.0");
        start(SOURCE_PIPELINE);
        awaitMore(1000);

        source("seqs-1.1.jar", "1.1.0", "noseek 1.1.0");
        PluginEvent noSeek = awaitEvent(PluginEvent.Kind.SWITCH_REJECTED, "seqs@1.1.0");
        assertThat(noSeek.stage()).isEqualTo("in");
        assertThat(noSeek.detail())
                .startsWith("seqs@1.1.0 not used, seqs@1.0.0 keeps serving: it cannot seek to {next=")
                .endsWith("this version cannot seek");
        awaitMore(1000);
        assertThat(last("src")).isEqualTo("1.0.0");
        router("router.jar", "1.0.0", "0"); // an unrelated plugin: the refused version is not offered again
        awaitEvent(PluginEvent.Kind.LOADED, "router@1.0.0");
        awaitMore(1000);
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED)
                .hasSize(1);

        source("seqs-1.2.jar", "1.2.0", "broken 1.2.0");
        PluginEvent broken = awaitEvent(PluginEvent.Kind.SWITCH_REJECTED, "seqs@1.2.0");
        assertThat(broken.detail())
                .startsWith("seqs@1.2.0 not used, seqs@1.0.0 keeps serving: its instance could not start: ")
                .contains("this version is broken");

        Files.write(dir.resolve("seqs-1.3.jar"), new byte[] {'P', 'K', 1, 2}); // does not even load
        await().atMost(WAIT)
                .until(() -> events.stream()
                        .anyMatch(e -> e.kind() == PluginEvent.Kind.FAILED
                                && e.file() != null
                                && e.file().getFileName().toString().equals("seqs-1.3.jar")));
        awaitMore(1000);
        assertThat(last("src")).isEqualTo("1.0.0");

        source("seqs-1.4.jar", "1.4.0", "1.4.0"); // a good one still takes over
        awaitLast("src", "1.4.0");
        stop();
        List<Record> rows = outSnapshot();
        assertThat(valuesInOrder(rows, r -> r.get("src"))).containsExactly("1.0.0", "1.4.0");
        assertEveryIdOnceInOrder(rows, r -> r.get("id"));
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCHED)
                .hasSize(1);
    }

    private static final String SINK_PIPELINE = """
            sources: { in: { use: seq, with: { count: 1000000000 } } }
            sinks: { out: { use: "line-file@^1", from: in, with: { path: %s, delay_ms: 2 } } }
            runtime: { batch_size: 100 }
            """;

    private List<String[]> lines(Path file) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) out.add(l.split(","));
        return out;
    }

    private void awaitLines(Path file, Predicate<List<String>> until) {
        until(() -> Files.exists(file) && until.test(Files.readAllLines(file)));
    }

    @Test
    void aNewerSinkContinuesTheSameFileAtABarrier() throws Exception {
        Path file = outDir.resolve("out.txt");
        sink("lines.jar", "1.0.0", "1.0.0");
        start(SINK_PIPELINE.formatted(file));
        awaitLines(file, l -> l.size() > 2000);
        sink("lines-1.1.jar", "1.1.0", "1.1.0");
        awaitLines(file, l -> l.size() > 2000 && l.get(l.size() - 1).endsWith(",1.1.0"));
        int switchedAt = Files.readAllLines(file).size();
        awaitLines(file, l -> l.size() > switchedAt + 2000);
        stop();

        List<String[]> rows = lines(file);
        assertThat(valuesInOrder(rows, r -> r[1])).containsExactly("1.0.0", "1.1.0");
        assertEveryIdOnceInOrder(rows, r -> Long.parseLong(r[0]));
        PluginEvent e = awaitEvent(PluginEvent.Kind.SWITCHED, "lines@1.1.0");
        assertThat(e.detail()).startsWith("from lines@1.0.0; sink 'out' switched at a barrier");
        assertPauseReported(e, "out", "sink");
    }

    @Test
    void aSinkVersionThatCannotTakeOverTheOutputLeavesTheOldOneWriting() throws Exception {
        Path file = outDir.resolve("out.txt");
        sink("lines.jar", "1.0.0", "1.0.0");
        start(SINK_PIPELINE.formatted(file));
        awaitLines(file, l -> l.size() > 1000);
        sink("lines-1.1.jar", "1.1.0", "norestore 1.1.0");
        PluginEvent rejected = awaitEvent(PluginEvent.Kind.SWITCH_REJECTED, "lines@1.1.0");
        assertThat(rejected.detail())
                .startsWith("lines@1.1.0 not used, lines@1.0.0 keeps serving: it cannot take over the output at"
                        + " {length=")
                .contains("this version cannot restore {length=");
        int then = Files.readAllLines(file).size();
        awaitLines(file, l -> l.size() > then + 1000);
        stop();
        List<String[]> rows = lines(file);
        assertThat(valuesInOrder(rows, r -> r[1])).containsExactly("1.0.0");
        assertEveryIdOnceInOrder(rows, r -> Long.parseLong(r[0]));
    }

    @Test
    void aNewerKeyRouterTakesOverBetweenBatchesWithoutReorderingAnyKey() throws Exception {
        router("router.jar", "1.0.0", "0 (1.0.0)");
        start("""
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors:
                  p: { use: tag-instance, from: in, parallelism: 2, routing: { key: key, strategy: "stamped-router@^1" } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """);
        awaitMore(2000);
        assertThat(last("inst")).isEqualTo(0L);
        router("router-1.1.jar", "1.1.0", "1 (1.1.0)");
        awaitLast("inst", 1L);
        awaitMore(2000);
        stop();

        List<Record> rows = outSnapshot();
        // one instance at a time, and the barrier drained the first before the second got anything: even the
        // global order holds, so every key's order does
        assertThat(valuesInOrder(rows, r -> r.get("inst"))).containsExactly(0L, 1L);
        assertEveryIdOnceInOrder(rows, r -> r.get("id"));
        PluginEvent e = awaitEvent(PluginEvent.Kind.SWITCHED, "router@1.1.0");
        assertThat(e.stage()).isEqualTo("p");
        assertThat(e.detail()).startsWith("from router@1.0.0; key router of 'p' switched at a barrier");
        assertPauseReported(e, "p", "key router");
        assertThat(run.plan().stage("p").routing().router().pluginLabel()).isEqualTo("router@1.1.0");
    }

    @Test
    void aNewerErrorPolicyDecidesFromOneBatchOn() throws Exception {
        errorPolicy("errors.jar", "1.0.0", "skip (1.0.0)");
        start("""
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors: { p: { use: fail-tenth, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                policies:
                  errors: { on_error: "stamped-errors@^1", dead_letter: { use: collect, with: { name: dlq } } }
                runtime: { batch_size: 100 }
                """);
        awaitMore(2000);
        assertThat(inProcess.collected("dlq")).isEmpty();
        errorPolicy("errors-1.1.jar", "1.1.0", "dead_letter (1.1.0)");
        until(() -> inProcess.collected("dlq").size() >= 200);
        stop();

        // the records that pass arrive once each, in order
        List<Record> rows = outSnapshot();
        List<Long> passed = rows.stream().map(r -> (Long) r.get("id")).toList();
        long last = passed.get(passed.size() - 1);
        assertThat(passed)
                .containsExactlyElementsOf(LongStream.rangeClosed(0, last)
                        .filter(id -> id % 10 != 0)
                        .boxed()
                        .toList());
        // the failed ones were skipped up to one point, and every one after it was dead-lettered, in order
        List<Long> dead;
        synchronized (inProcess.collected("dlq")) {
            dead = inProcess.collected("dlq").stream()
                    .map(r -> (Long) ((Map<?, ?>) r.get("record")).get("id"))
                    .toList();
        }
        long first = dead.get(0);
        assertThat(dead)
                .containsExactlyElementsOf(LongStream.iterate(first, id -> id + 10)
                        .limit(dead.size())
                        .boxed()
                        .toList());
        assertThat(dead.get(dead.size() - 1)).isBetween(last - 9, last + 1);
        PluginEvent e = awaitEvent(PluginEvent.Kind.SWITCHED, "errors@1.1.0");
        assertThat(e.stage()).isEqualTo(ComponentSlot.ERRORS);
        assertThat(e.detail()).startsWith("from errors@1.0.0; error policy switched at a barrier");
        assertPauseReported(e, ComponentSlot.ERRORS, "error policy");
    }

    @Test
    void afterASwitchCheckpointsNameTheNewVersionsAndACrashedRunResumesOnThemExactlyOnce() throws Exception {
        Path file = outDir.resolve("out.txt");
        String pipeline = """
                name: swap-resume
                sources: { in: { use: "stamped-seq@^1", with: { count: 1000000000 } } }
                sinks: { out: { use: "line-file@^1", from: in, with: { path: %s, delay_ms: 2 } } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 50 }
                """.formatted(file);
        CheckpointStore store = new CheckpointStore(new MemoryStateStore());
        source("seqs.jar", "1.0.0", "1.0.0");
        sink("lines.jar", "1.0.0", "1.0.0");
        engine.plugins().scan();
        run = engine.start(TestEngines.plan(engine, pipeline), new RunOptions(store, true, "swap-resume"));
        awaitLines(file, l -> l.size() > 1000);
        source("seqs-1.1.jar", "1.1.0", "1.1.0");
        sink("lines-1.1.jar", "1.1.0", "1.1.0");
        until(() -> pluginOf("in").equals("seqs@1.1.0") && pluginOf("out").equals("lines@1.1.0"));
        Map<String, String> now = ResumeCheck.fingerprint(run.plan());
        until(() ->
                store.load("swap-resume").map(c -> c.fingerprint().equals(now)).orElse(false));
        run.cancel(); // like a kill: the next run goes back to the last checkpoint
        run.await(WAIT);
        run.close();

        run = engine.start(TestEngines.plan(engine, pipeline), new RunOptions(store, true, "swap-resume"));
        assertThat(run.resumedFrom()).isNotNull();
        int before = Files.readAllLines(file).size();
        awaitLines(file, l -> l.size() > before + 1000);
        stop();
        List<String[]> rows = lines(file);
        assertThat(valuesInOrder(rows, r -> r[1])).containsExactly("1.0.0", "1.1.0");
        assertEveryIdOnceInOrder(rows, r -> Long.parseLong(r[0]));
    }

    @Test
    void aSourceThatDoesNotReturnFromPollKeepsTheOldSinkAndIsNamed() throws Exception {
        Path file = outDir.resolve("out.txt");
        sink("lines.jar", "1.0.0", "1.0.0");
        start("""
                sources: { in: { use: stalling } }
                sinks: { out: { use: "line-file@^1", from: in, with: { path: %s } } }
                runtime: { batch_size: 100 }
                """.formatted(file));
        awaitLines(file, l -> l.size() == 2000); // everything before the stall is written
        sink("lines-1.1.jar", "1.1.0", "1.1.0");
        PluginEvent rejected = awaitEvent(PluginEvent.Kind.SWITCH_REJECTED, "lines@1.1.0");
        assertThat(rejected.detail())
                .isEqualTo("lines@1.1.0 not used, lines@1.0.0 keeps serving: the run did not reach a barrier within"
                        + " 10 s: source 'in' (test-plugins@1.0.0) did not return from poll");
        stall.countDown();
        PipelineResult r = run.await(WAIT);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<String[]> rows = lines(file);
        assertThat(rows).hasSize(5000);
        assertThat(valuesInOrder(rows, x -> x[1])).containsExactly("1.0.0");
        assertEveryIdOnceInOrder(rows, x -> Long.parseLong(x[0]));
    }

    @Test
    void aNewerRetryPolicyDecidesFromOneBatchOn() throws Exception {
        KindJars.retryPolicy(dir.resolve("retries.jar"), "1.0.0", "1 attempt (1.0.0)");
        start("""
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors: { p: { use: flaky-batches, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                policies: { retry: { use: "stamped-retry@^1" }, errors: { on_error: abort } }
                runtime: { batch_size: 100 }
                """);
        awaitMore(2000);
        // one attempt: a failed batch is not retried but processed record by record, and every record passes
        assertThat(run.stats().retries()).isZero();
        KindJars.retryPolicy(dir.resolve("retries-1.1.jar"), "1.1.0", "2 attempts (1.1.0)");
        PluginEvent e = awaitEvent(PluginEvent.Kind.SWITCHED, "retries@1.1.0");
        until(() -> run.stats().retries() > 10);
        awaitMore(1000);
        stop();

        assertEveryIdOnceInOrder(outSnapshot(), r -> r.get("id"));
        assertThat(e.stage()).isEqualTo(ComponentSlot.RETRY);
        assertThat(e.detail()).startsWith("from retries@1.0.0; retry policy switched at a barrier");
        assertPauseReported(e, ComponentSlot.RETRY, "retry policy");
    }
}
