package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineRunTest {
    private static final AtomicInteger TIMEOUT_CALLS = new AtomicInteger();

    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("identity", () -> b -> b)
            .processor("drop-odd", () -> Processor.filtering(r -> r.getLong("id") % 2 == 0))
            .add(new InstanceTagger())
            .add(new ProcessorFactory() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public Processor create(PluginContext context) {
                    throw new IllegalStateException("cannot connect to enrichment service");
                }
            })
            .processor("fail-on-7", () -> b -> {
                for (Record r : b) {
                    if (r.getLong("id") % 100 == 7) throw new IllegalStateException("bad id " + r.getLong("id"));
                }
                return b;
            })
            .processor("reject-multiples-of-10", () -> b -> {
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (Record r : b) {
                    if (r.getLong("id") % 10 == 0) out.reject(r, "multiple of ten");
                    else out.add(r);
                }
                return out.build();
            })
            .processor("always-times-out", () -> b -> {
                TIMEOUT_CALLS.incrementAndGet();
                throw new PluginException(ErrorClass.TIMEOUT, "call took longer than 1000 ms");
            })
            .processor("flaky-twice", () -> {
                AtomicInteger calls = new AtomicInteger();
                return b -> {
                    if (calls.incrementAndGet() <= 2) throw new PluginException(ErrorClass.IO, "connection reset");
                    return b;
                };
            });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineResult run(String yaml) throws InterruptedException {
        return engine.run(TestEngines.plan(engine, yaml));
    }

    private static List<Long> ids(List<Record> records) {
        return records.stream().map(r -> r.getLong("id")).collect(Collectors.toList());
    }

    @Test
    void linearPipelineDeliversEveryRecordInOrder() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 25000 } } }
                processors: { p: { use: identity, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: linear } } }
                runtime: { batch_size: 1000 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        List<Long> ids = ids(plugins.collected("linear"));
        assertThat(ids).hasSize(25000);
        for (int i = 0; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(i);
        StatsSnapshot s = r.stats();
        assertThat(s.recordsIn()).isEqualTo(25000);
        assertThat(s.recordsOut()).isEqualTo(25000);
        assertThat(s.balanced()).isTrue();
        assertThat(s.stages()).extracting(StageSnapshot::name).containsExactly("in", "p", "out");
    }

    @Test
    void sourceBatchesAreCutAtBatchSizeOrMaxWait() throws Exception {
        // the source hands out 7 records per poll: the engine accumulates them into batches of 50
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000, chunk: 7 } } }
                sinks: { out: { use: collect, from: in, with: { name: chunks } } }
                runtime: { batch_size: 50, max_wait_ms: 10000 }
                """);
        assertThat(plugins.collected("chunks")).hasSize(1000);
        assertThat(r.stats().stages().get(2 - 1).batches()).isEqualTo(20);
    }

    @Test
    void fanOutCopiesAndFanInMerges() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 3000 } } }
                processors:
                  a: { use: identity, from: in }
                  b: { use: drop-odd, from: in }
                sinks:
                  both: { use: collect, from: [a, b], with: { name: fanin } }
                  only-a: { use: collect, from: a, with: { name: fanout } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("fanin")).hasSize(3000 + 1500);
        assertThat(plugins.collected("fanout")).hasSize(3000);
        StatsSnapshot s = r.stats();
        assertThat(s.derived()).as("fan-out copies").isEqualTo(3000 + 3000);
        assertThat(s.filtered()).isEqualTo(1500);
        assertThat(s.recordsOut()).isEqualTo(7500);
        assertThat(s.balanced()).isTrue();
    }

    @Test
    void keyRoutingKeepsEachKeyOnOneInstanceInOrder() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 20000, keys: 13 } } }
                processors: { tag: { use: tag-instance, from: in, parallelism: 4 } }
                sinks: { out: { use: collect, from: tag, with: { name: keyed } } }
                policies: { routing: { key: key, strategy: hash } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = plugins.collected("keyed");
        assertThat(out).hasSize(20000);
        Map<String, Long> last = new HashMap<>();
        Map<String, Set<Long>> instances = new HashMap<>();
        for (Record rec : out) {
            String key = rec.getString("key");
            long id = rec.getLong("id");
            Long prev = last.put(key, id);
            assertThat(prev == null || prev < id)
                    .as("order of key %s: %s after %s", key, id, prev)
                    .isTrue();
            instances.computeIfAbsent(key, k -> new HashSet<>()).add(rec.getLong("instance"));
        }
        assertThat(instances.values()).allMatch(s -> s.size() == 1);
        assertThat(instances.values().stream().flatMap(Set::stream).distinct().count())
                .as("instances used")
                .isGreaterThan(1);
    }

    @Test
    void failingBatchIsRetriedThenOnlyTheBadRecordsAreDeadLettered() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000 } } }
                processors: { p: { use: fail-on-7, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: good } } }
                policies:
                  retry: { use: fixed-retry, with: { max_attempts: 3 } }
                  errors:
                    on_error: dead-letter
                    dead_letter: { use: collect, with: { name: dlq } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("good")).hasSize(990);
        List<Record> dlq = plugins.collected("dlq");
        assertThat(dlq).hasSize(10);
        Record d = dlq.get(0);
        assertThat(d.getMap("record")).containsEntry("id", 7L);
        assertThat(d.getString("error")).contains("bad id 7");
        assertThat(d.getString("error_class")).isEqualTo("plugin_error");
        assertThat(d.getString("stage")).isEqualTo("p");
        assertThat(d.getString("plugin")).isEqualTo("test-plugins@1.0.0");
        assertThat(d.getLong("attempts")).isEqualTo(4);
        assertThat(d.getTimestamp("failed_at")).isNotNull();
        StatsSnapshot s = r.stats();
        assertThat(s.deadLettered()).isEqualTo(10);
        assertThat(s.retries()).isEqualTo(10 * 2);
        assertThat(s.balanced()).isTrue();
    }

    @Test
    void aPluginThatTimesOutOnEveryRecordIsNotIsolatedRecordByRecord() throws Exception {
        TIMEOUT_CALLS.set(0);
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000 } } }
                processors: { p: { use: always-times-out, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never-out } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: hung-dlq } } } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("hung-dlq"))
                .hasSize(1000)
                .allSatisfy(d -> assertThat(d.getString("error_class")).isEqualTo("timeout"));
        assertThat(TIMEOUT_CALLS.get())
                .as("1 batch call + 3 single-record calls per batch")
                .isEqualTo(10 * (1 + 3));
        assertThat(plugins.collected("hung-dlq").get(99).getString("error"))
                .contains("not processed: the plugin failed with timeout on 3 records in a row");
        assertThat(r.stats().timeouts())
                .as("every call that timed out is counted")
                .isEqualTo(10 * (1 + 3));
        assertThat(r.stats().stages().get(1).timeouts()).isEqualTo(40);
    }

    @Test
    void transientFailuresRecoverThroughRetry() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 500 } } }
                processors: { p: { use: flaky-twice, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: recovered } } }
                policies: { retry: { use: fixed-retry, with: { max_attempts: 3 } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("recovered")).hasSize(500);
        assertThat(r.stats().retries()).isEqualTo(2);
        assertThat(r.stats().deadLettered()).isZero();
    }

    @Test
    void rejectionsSkipRetryAndAreCountedWhenSkipped() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000 } } }
                processors: { p: { use: reject-multiples-of-10, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: skipped } } }
                policies:
                  retry: { use: fixed-retry }
                  errors: { on_error: skip }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("skipped")).hasSize(900);
        assertThat(r.stats().skipped()).isEqualTo(100);
        assertThat(r.stats().retries()).isZero();
        assertThat(r.stats().balanced()).isTrue();
    }

    @Test
    void abortFailsTheRunAndSaysWhy() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 100000 } } }
                processors: { p: { use: fail-on-7, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: aborted } } }
                policies: { errors: { on_error: abort } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("stage 'p'").contains("bad id 7").contains("id=7");
        assertThat(plugins.collected("aborted").size()).isLessThan(100000);
    }

    @Test
    void defaultErrorPolicyAborts() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000 } } }
                processors: { p: { use: reject-multiples-of-10, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: default-abort } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("invalid_record").contains("multiple of ten");
    }

    @Test
    void pauseStopsReadingResumeContinuesStopDrains() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 100000000 } } }
                sinks: { out: { use: collect, from: in, with: { name: paused, delay_ms: 1 } } }
                runtime: { batch_size: 100, queue_batches: 2 }
                """));
        List<PipelineState> states = new CopyOnWriteArrayList<>();
        run.addListener(new PipelineListener() {
            @Override
            public void onStateChange(PipelineRun r, PipelineState from, PipelineState to) {
                states.add(to);
            }
        });
        List<Record> out = plugins.collected("paused");
        await().atMost(Duration.ofSeconds(10)).until(() -> out.size() > 1000);
        run.pause();
        assertThat(run.state()).isEqualTo(PipelineState.PAUSED);
        // what was already read drains, then nothing moves
        await().atMost(Duration.ofSeconds(10))
                .until(() -> run.stats().stages().get(1).queued() == 0);
        long readWhilePaused = run.stats().recordsIn();
        Thread.sleep(300);
        assertThat(run.stats().recordsIn()).isEqualTo(readWhilePaused);
        run.resume();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.stats().recordsIn() > readWhilePaused + 1000);
        run.stop();
        PipelineResult r = run.await(Duration.ofSeconds(20));
        assertThat(r.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(states).containsExactly(PipelineState.PAUSED, PipelineState.RUNNING, PipelineState.STOPPED);
        assertThat(out).hasSize((int) r.stats().recordsIn());
        assertThat(r.stats().balanced()).as("stop drains what was read").isTrue();
    }

    @Test
    void aSlowSinkHoldsBackTheSourceSoMemoryStaysBounded() throws Exception {
        int batch = 100;
        int queue = 2;
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 30000 } } }
                processors: { p: { use: identity, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: slow, delay_ms: 2 } } }
                runtime: { batch_size: 100, queue_batches: 2 }
                """));
        long maxInFlight = 0;
        while (!run.state().isTerminal()) {
            StatsSnapshot s = run.stats();
            long written = s.stages().get(2).recordsIn();
            maxInFlight = Math.max(maxInFlight, s.recordsIn() - written);
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
        }
        // two queues of `queue` batches, plus at most one batch held by each of the three workers
        assertThat(maxInFlight).isLessThanOrEqualTo((long) (2 * queue + 3) * batch);
        assertThat(run.await().stats().recordsOut()).isEqualTo(30000);
    }

    @Test
    void aPluginThatCannotStartFailsTheRunBeforeAnythingRuns() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: broken, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("stage 'p'").contains("cannot connect to enrichment service");
        assertThat(plugins.collected("never")).isEmpty();
    }

    @Test
    void listenersSeeTheLifecycle() throws Exception {
        PipelineRun run = engine.prepare(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                sinks: { out: { use: collect, from: in, with: { name: lifecycle } } }
                """));
        List<String> seen = new ArrayList<>();
        run.addListener(new PipelineListener() {
            @Override
            public void onStateChange(PipelineRun r, PipelineState from, PipelineState to) {
                synchronized (seen) {
                    seen.add(from + "->" + to);
                }
            }
        });
        assertThat(run.state()).isEqualTo(PipelineState.CREATED);
        run.start().await();
        assertThat(seen).containsExactly("CREATED->READY", "READY->RUNNING", "RUNNING->COMPLETED");
    }

    /** {@code tag-instance}: adds the instance number and sleeps a little, to shuffle instances' timing. */
    static final class InstanceTagger implements ProcessorFactory {
        @Override
        public String name() {
            return "tag-instance";
        }

        @Override
        public Processor create(PluginContext ctx) {
            long instance = ctx.instance();
            return Processor.mapping(r -> {
                if (ThreadLocalRandom.current().nextInt(500) == 0) Thread.sleep(1);
                return r.toBuilder().set("instance", instance).build();
            });
        }
    }
}
