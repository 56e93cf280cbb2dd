package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.FiredTimer;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.TimeDomain;
import io.dataflare.api.state.Timers;
import io.dataflare.api.state.ValueState;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.runtime.scale.KeyGroupAssignment;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.KeyGroups;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.QuietSource;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Timers of processors in real runs: firing without input, surviving a crash, moving at a rescale. */
@Timeout(90)
class TimersTest {
    private static final Fields FIRED = Fields.of("key", "time", "domain", "instance");

    /** Milliseconds after a key's first record at which its processing-time timer is due. */
    private volatile long alarmAfterMs = 300;

    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new QuietSource())
            .processorOf("alarm", this::alarm)
            .processorOf("event-alarm", TimersTest::eventAlarm);

    private final Engine engine = TestEngines.withPlugins(plugins);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        engine.close();
    }

    /** Registers one processing-time timer per key, {@link #alarmAfterMs} after its first record; emits nothing else. */
    private Processor alarm(PluginContext ctx) {
        Timers timers = ctx.timers();
        ValueState<Object> armed = ctx.state().value("armed", StateType.json());
        long after = alarmAfterMs;
        return new Processor() {
            @Override
            public RecordBatch process(RecordBatch batch) {
                for (Record r : batch) {
                    String key = r.getString("key");
                    if (armed.get(key) != null) continue;
                    armed.put(key, true);
                    timers.registerProcessingTimer(key, timers.currentProcessingTime() + after);
                }
                return RecordBatch.EMPTY;
            }

            @Override
            public RecordBatch onTimers(List<FiredTimer> fired) {
                return firedRecords(fired, ctx.instance());
            }
        };
    }

    /** Event time = the record's id; a timer at id + 10 per record; the watermark is the highest id seen. */
    private static Processor eventAlarm(PluginContext ctx) {
        Timers timers = ctx.timers();
        return new Processor() {
            @Override
            public RecordBatch process(RecordBatch batch) {
                for (Record r : batch) {
                    long id = r.getLong("id");
                    timers.registerEventTimer(r.getString("key"), id + 10);
                    timers.advanceWatermark(id);
                }
                return RecordBatch.EMPTY;
            }

            @Override
            public RecordBatch onTimers(List<FiredTimer> fired) {
                for (FiredTimer f : fired)
                    assertThat(f.time()).as("fired at the watermark").isLessThanOrEqualTo(timers.currentWatermark());
                return firedRecords(fired, ctx.instance());
            }
        };
    }

    private static RecordBatch firedRecords(List<FiredTimer> fired, int instance) {
        RecordBatch.Builder b = RecordBatch.builder(fired.size());
        for (FiredTimer f : fired)
            b.add(Record.of(FIRED, f.key(), f.time(), f.domain().name(), (long) instance));
        return b.build();
    }

    private PipelineRun start(String processor, String parallelism, long count, CheckpointStore store) {
        String yaml = """
                name: timers
                sources: { in: { use: quiet, with: { count: %d, keys: 20 } } }
                processors:
                  p: { use: %s, from: in, parallelism: %s, routing: { key: key } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 50, checkpoint_interval_ms: 20 }
                """.formatted(count, processor, parallelism);
        return engine.start(TestEngines.plan(engine, yaml), new RunOptions(store, store != null, "timers"));
    }

    private List<Record> out() {
        synchronized (plugins.collected("out")) {
            return new ArrayList<>(plugins.collected("out"));
        }
    }

    private static List<String> keys(List<Record> records) {
        return records.stream().map(r -> r.getString("key")).sorted().toList();
    }

    private static List<String> allKeys() {
        List<String> k = new ArrayList<>();
        for (int i = 0; i < 20; i++) k.add("k" + i);
        return k.stream().sorted().toList();
    }

    @Test
    void aProcessingTimeTimerFiresWhileNoInputArrivesAndItsOutputReachesTheSink() throws Exception {
        QuietSource.polledEmpty = 0;
        PipelineRun run = start("alarm", "2", 100, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> out().size() >= 20);
        assertThat(QuietSource.polledEmpty)
                .as("the source had gone quiet before the timers fired")
                .isPositive();
        Thread.sleep(300);
        run.stop();
        run.await();
        List<Record> out = out();
        assertThat(keys(out)).as("one timer per key, each fired once").isEqualTo(allKeys());
        assertThat(out).allSatisfy(r -> assertThat(r.getString("domain")).isEqualTo("PROCESSING_TIME"));
    }

    @Test
    void aTimerRegisteredBeforeACheckpointFiresExactlyOnceAfterACrashAndResume() throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        alarmAfterMs = 2_500;
        PipelineRun first = start("alarm", "2", 100, store);
        long[] cpAfterInput = {0};
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Checkpoint c = store.load("timers").orElse(null);
            if (c == null || ((Number) c.sources().get("in").get("next")).longValue() != 100) return false;
            cpAfterInput[0] = c.id();
            return true;
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> store.load("timers").map(Checkpoint::id).orElse(0L) >= cpAfterInput[0] + 2);
        assertThat(out()).as("no timer is due yet").isEmpty();
        first.cancel(); // like a kill: the timers are only in the checkpoint now
        first.await();

        PipelineRun second = start("alarm", "2", 100, store);
        assertThat(second.resumedFrom()).isNotNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> out().size() >= 20);
        Thread.sleep(500);
        second.stop();
        second.await();
        assertThat(keys(out())).as("every timer fired once after the resume").isEqualTo(allKeys());
    }

    @Test
    void timersMoveWithTheirKeyGroupsWhenAnElasticStageRescales() throws Exception {
        CheckpointStore store = new CheckpointStore(new FileStateStore(dir));
        alarmAfterMs = 1_500;
        PipelineRun run = start("alarm", "{ min: 1, max: 4 }", 100, store);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.load("timers")
                        .map(c -> ((Number) c.sources().get("in").get("next")).longValue() == 100)
                        .orElse(false));
        assertThat(out()).as("no timer is due yet").isEmpty();
        run.parallelism("p", new ParallelismChange(3, null, null, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> out().size() >= 20);
        Thread.sleep(300);
        run.stop();
        run.await();
        List<Record> out = out();
        assertThat(keys(out)).as("every timer fired once").isEqualTo(allKeys());
        int[] owners = KeyGroupAssignment.owners(KeyGroups.DEFAULT_COUNT, 3);
        assertThat(out)
                .as("each timer fired in the instance that owns its key group after the rescale")
                .allSatisfy(r -> assertThat(r.getLong("instance"))
                        .as(r.getString("key"))
                        .isEqualTo((long) owners[KeyGroups.of(r.getString("key"), KeyGroups.DEFAULT_COUNT)]));
        assertThat(out.stream().map(r -> r.getLong("instance")).distinct().count())
                .as("the keys are spread over the new instances")
                .isGreaterThan(1);
    }

    @Test
    void eventTimeTimersFireInTimeOrderAsTheWatermarkPassesAndAllAtTheEndOfInput() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1000, keys: 7, chunk: 37 } } }
                processors: { p: { use: event-alarm, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 37 }
                """));
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = out();
        List<Long> times = out.stream().map(r -> r.getLong("time")).toList();
        assertThat(times)
                .as("one timer per record, in time order, the last ones at the end of input")
                .isEqualTo(java.util.stream.LongStream.range(10, 1010).boxed().toList());
        assertThat(out).allSatisfy(r -> assertThat(r.getString("domain")).isEqualTo(TimeDomain.EVENT_TIME.name()));
    }
}
