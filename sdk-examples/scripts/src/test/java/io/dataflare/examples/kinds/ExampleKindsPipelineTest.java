package io.dataflare.examples.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The source, sink and policy examples in real pipelines, loaded from their {@code plugin/} folders: each
 * decides something a test can see (records produced in order, lines printed, which failures are retried,
 * where failed records go, which instance gets a key).
 */
@Timeout(120)
class ExampleKindsPipelineTest {
    static ExamplePipelines pipelines;
    /** Calls of the {@code transient} processor per first record id of a batch. */
    static final Map<Long, AtomicInteger> transientCalls = new ConcurrentHashMap<>();

    static final AtomicInteger brokenCalls = new AtomicInteger();

    @BeforeAll
    static void start() {
        InProcessPlugins plugins = new InProcessPlugins()
                // fails each batch once with an I/O error (transient), then passes it on
                .processor("transient", () -> batch -> {
                    if (batch.size() > 0
                            && transientCalls
                                            .computeIfAbsent(batch.get(0).getLong("id"), k -> new AtomicInteger())
                                            .incrementAndGet()
                                    == 1) throw new PluginException(ErrorClass.IO, "connection reset");
                    return batch;
                })
                // records with id % 10 == 3 always fail with a plugin error, id % 10 == 7 with an I/O error
                .processor("broken", () -> batch -> {
                    brokenCalls.incrementAndGet();
                    for (Record r : batch) {
                        long id = r.getLong("id");
                        if (id % 10 == 3) throw new PluginException(ErrorClass.PLUGIN_ERROR, "bad record " + id);
                        if (id % 10 == 7) throw new PluginException(ErrorClass.IO, "lost connection at " + id);
                    }
                    return batch;
                })
                .add(new WhereFactory());
        pipelines = new ExamplePipelines(plugins);
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    @Test
    void theJavaScriptSourceCountsInOrder() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: counter@^1, with: { count: 2500 } } }
                sinks: { out: { use: collect, from: in, with: { name: counter } } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = pipelines.plugins.collected("counter");
        assertThat(out).hasSize(2500);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).getLong("id")).isEqualTo(i + 1);
            assertThat(out.get(i).getLong("square")).isEqualTo((long) (i + 1) * (i + 1));
        }
    }

    @Test
    void thePythonSourceProducesTheFibonacciNumbers() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: fibonacci, with: { count: 60 } } }
                sinks: { out: { use: collect, from: in, with: { name: fib } } }
                runtime: { batch_size: 7 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = pipelines.plugins.collected("fib");
        assertThat(out).hasSize(60);
        assertThat(out.get(10).getLong("value")).isEqualTo(55);
        assertThat(out.get(59).getLong("value")).isEqualTo(956722026041L);
        for (int i = 2; i < 60; i++)
            assertThat(out.get(i).getLong("value"))
                    .isEqualTo(out.get(i - 1).getLong("value") + out.get(i - 2).getLong("value"));
    }

    @Test
    void theJavaScriptSinkPrintsEveryRecord() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        PipelineResult r;
        try {
            r = pipelines.run("""
                    sources: { in: { use: seq, with: { count: 40 } } }
                    sinks: { out: { use: console, from: in, with: { fields: [id] } } }
                    """);
        } finally {
            System.setErr(original);
        }
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<String> printed = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("[console "))
                .toList();
        assertThat(printed).hasSize(40);
        assertThat(printed.get(0)).endsWith("] {\"id\":0}");
        assertThat(printed.get(39)).endsWith("] {\"id\":39}");
    }

    @Test
    void theJavaScriptRetryPolicyRetriesTransientFailures() throws Exception {
        transientCalls.clear();
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 300 } } }
                processors: { t: { use: transient, from: in } }
                sinks: { out: { use: collect, from: t, with: { name: retried } } }
                policies: { retry: { use: retry-transient, with: { delay_ms: 1 } } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("retried")).hasSize(300);
        assertThat(r.stats().retries()).isEqualTo(3);
        assertThat(transientCalls.values()).extracting(AtomicInteger::get).containsOnly(2);
    }

    @Test
    void theJavaScriptRetryPolicyDoesNotRetryOtherErrorClasses() throws Exception {
        brokenCalls.set(0);
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { b: { use: broken, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: not-retried } } }
                policies:
                  retry: { use: retry-transient, with: { retry_on: [io], delay_ms: 1 } }
                  errors: { on_error: skip }
                runtime: { batch_size: 1 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        // one record per batch: id 7's I/O error is retried up to max_attempts (3 attempts: 2 retries), id 3's
        // plugin error is not retried at all (a policy retrying every class would retry it twice too)
        assertThat(r.stats().retries()).isEqualTo(2);
        assertThat(brokenCalls.get()).isGreaterThanOrEqualTo(10 + 2);
        assertThat(r.stats().skipped()).isEqualTo(2);
        assertThat(pipelines.plugins.collected("not-retried")).hasSize(8);
    }

    @Test
    void thePythonErrorPolicyRoutesByErrorClass() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 30 } } }
                processors: { b: { use: broken, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: routed } } }
                policies:
                  errors:
                    on_error: route-errors
                    with: { dead_letter: [plugin_error] }
                    dead_letter: { use: collect, with: { name: routed-dlq } }
                runtime: { batch_size: 10 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("routed")).hasSize(24);
        assertThat(r.stats().deadLettered()).isEqualTo(3); // ids 3, 13, 23: plugin errors
        assertThat(r.stats().skipped()).isEqualTo(3); // ids 7, 17, 27: I/O errors
        assertThat(pipelines.plugins.collected("routed-dlq")).hasSize(3);
    }

    @Test
    void thePythonRetryPolicyRetriesAllButItsNeverClasses() throws Exception {
        brokenCalls.set(0);
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { b: { use: broken, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: capped } } }
                policies:
                  retry: { use: retry-capped, with: { never: [plugin_error], max_attempts: 4, delay_ms: 1 } }
                  errors: { on_error: skip }
                runtime: { batch_size: 1 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        // one record per batch: id 7's I/O error is retried up to 4 attempts (3 retries); id 3's plugin error is
        // in `never` and not retried (retrying it too would make 6)
        assertThat(r.stats().retries()).isEqualTo(3);
        assertThat(r.stats().skipped()).isEqualTo(2);
        assertThat(pipelines.plugins.collected("capped")).hasSize(8);
    }

    @Test
    void theJavaScriptErrorPolicySkipsDeadLettersOrAbortsByClass() throws Exception {
        PipelineResult routed = pipelines.run("""
                sources: { in: { use: seq, with: { count: 30 } } }
                processors: { b: { use: broken, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: by-class } } }
                policies:
                  errors:
                    on_error: route-by-class
                    with: { skip: [io], dead_letter: [plugin_error] }
                    dead_letter: { use: collect, with: { name: by-class-dlq } }
                runtime: { batch_size: 10 }
                """);
        assertThat(routed.state()).as(routed.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("by-class")).hasSize(24);
        assertThat(routed.stats().skipped()).isEqualTo(3); // ids 7, 17, 27: I/O errors
        assertThat(routed.stats().deadLettered()).isEqualTo(3); // ids 3, 13, 23: plugin errors
        assertThat(pipelines.plugins.collected("by-class-dlq")).hasSize(3);

        PipelineResult aborted = pipelines.run("""
                sources: { in: { use: seq, with: { count: 30 } } }
                processors: { b: { use: broken, from: in } }
                sinks: { out: { use: collect, from: b, with: { name: by-class-aborted } } }
                policies:
                  errors:
                    on_error: route-by-class
                    with: { skip: [io] }
                    dead_letter: { use: collect, with: { name: by-class-aborted-dlq } }
                runtime: { batch_size: 10 }
                """);
        assertThat(aborted.state()).isEqualTo(PipelineState.FAILED);
        assertThat(aborted.failure()).contains("plugin_error");
    }

    @Test
    void theJavaScriptKeyRouterSendsEachShardToItsInstance() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 600, keys: 13 } } }
                processors: { w: { use: where, from: in, parallelism: 3 } }
                sinks: { out: { use: collect, from: w, with: { name: sharded } } }
                policies: { routing: { key: key, strategy: shard } }
                runtime: { batch_size: 50 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = pipelines.plugins.collected("sharded");
        assertThat(out).hasSize(600);
        for (Record rec : out) {
            long shard = Long.parseLong(rec.getString("key").substring(1));
            assertThat(rec.getLong("instance")).as(rec.toString()).isEqualTo(shard % 3);
        }
    }

    @Test
    void thePythonKeyRouterSendsEachRangeToItsInstance() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 200 } } }
                processors: { w: { use: where, from: in, parallelism: 3 } }
                sinks: { out: { use: collect, from: w, with: { name: ranged } } }
                policies: { routing: { key: id, strategy: by-range, with: { range_width: 10 } } }
                runtime: { batch_size: 50 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = pipelines.plugins.collected("ranged");
        assertThat(out).hasSize(200);
        for (Record rec : out)
            assertThat(rec.getLong("instance")).as(rec.toString()).isEqualTo(rec.getLong("id") / 10 % 3);
    }

    /** {@code where}: adds the number of the instance that processed the record. */
    static final class WhereFactory implements ProcessorFactory {
        @Override
        public String name() {
            return "where";
        }

        @Override
        public Processor create(PluginContext context) {
            long instance = context.instance();
            return batch -> {
                RecordBatch.Builder b = RecordBatch.builder(batch.size());
                for (Record r : batch)
                    b.add(r.toBuilder().set("instance", instance).build());
                return b.build();
            };
        }
    }
}
