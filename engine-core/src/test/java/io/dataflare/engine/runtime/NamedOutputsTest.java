package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A processor's named outputs reach exactly the stages reading {@code from: stage.output}. */
@Timeout(60)
class NamedOutputsTest {
    /** Slows the router down so that a checkpointed run can be killed midway. */
    private volatile long delayMs;

    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new ModRouter())
            .processor("emits-undeclared", () -> b -> {
                RecordBatch.Builder out = RecordBatch.builder();
                for (Record r : b) out.add("nowhere", r);
                return out.build();
            });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    /**
     * {@code mod-router}: routes a record to each case (output name -> divisor of its id) that divides it,
     * the first one only unless {@code all}; records no case divides go to {@code default} when set, else
     * are dropped. Its outputs are its cases, then the default.
     */
    final class ModRouter implements ProcessorFactory {
        @Override
        public String name() {
            return "mod-router";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("cases", ConfigType.MAP, "output -> divisor")
                    .optional("default", ConfigType.STRING, null, "output of the rest")
                    .optional("all", ConfigType.BOOLEAN, false, "every matching case")
                    .build();
        }

        @Override
        public List<String> outputs(PluginConfig config) {
            List<String> out = new ArrayList<>(config.getMap("cases").keySet());
            if (config.getString("default") != null) out.add(config.getString("default"));
            return out;
        }

        @Override
        public Processor create(PluginContext ctx) {
            Map<String, Object> cases = ctx.config().getMap("cases");
            String dflt = ctx.config().getString("default");
            boolean all = ctx.config().getBoolean("all", false);
            return batch -> {
                if (delayMs > 0) Thread.sleep(delayMs);
                RecordBatch.Builder out = RecordBatch.builder(batch.size());
                for (Record r : batch) {
                    boolean matched = false;
                    for (Map.Entry<String, Object> c : cases.entrySet()) {
                        if (r.getLong("id") % ((Number) c.getValue()).longValue() != 0) continue;
                        out.add(c.getKey(), r);
                        matched = true;
                        if (!all) break;
                    }
                    if (!matched && dflt != null) out.add(dflt, r);
                }
                return out.build();
            };
        }
    }

    private PipelineResult run(String yaml) throws InterruptedException {
        return engine.run(TestEngines.plan(engine, yaml));
    }

    private List<Long> ids(String sink) {
        return plugins.collected(sink).stream().map(r -> r.getLong("id")).toList();
    }

    private static List<Long> upTo(long n, java.util.function.LongPredicate keep) {
        return LongStream.range(0, n).filter(keep).boxed().toList();
    }

    @Test
    void theFirstMatchingOutputGetsEachRecordAndTheDefaultTheRest() throws Exception {
        PipelineResult r = run("""
                name: first-match
                sources: { in: { use: seq, with: { count: 3000 } } }
                processors:
                  router: { use: mod-router, from: in, with: { cases: { fizz: 3, buzz: 5 }, default: rest } }
                sinks:
                  f: { use: collect, from: router.fizz, with: { name: fizz } }
                  b: { use: collect, from: [router.buzz], with: { name: buzz } }
                  o: { use: collect, from: router.rest, with: { name: rest } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids("fizz")).isEqualTo(upTo(3000, i -> i % 3 == 0));
        assertThat(ids("buzz")).isEqualTo(upTo(3000, i -> i % 5 == 0 && i % 3 != 0));
        assertThat(ids("rest")).isEqualTo(upTo(3000, i -> i % 5 != 0 && i % 3 != 0));
        StatsSnapshot s = r.stats();
        assertThat(s.balanced()).isTrue();
        assertThat(s.derived()).isZero();
        StageSnapshot router = s.stages().get(1);
        assertThat(router.outputs())
                .containsExactly(Map.entry("fizz", 1000L), Map.entry("buzz", 400L), Map.entry("rest", 1600L));
        assertThat(engine.meters()
                        .get("dataflare.stage.output.records")
                        .tags("pipeline", "first-match", "stage", "router", "output", "buzz")
                        .functionCounter()
                        .count())
                .isEqualTo(400.0);
    }

    @Test
    void withAllMatchesARecordGoesOnceToEveryMatchingOutput() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 3000 } } }
                processors:
                  router: { use: mod-router, from: in, with: { cases: { fizz: 3, buzz: 5 }, all: true }, parallelism: 2 }
                sinks:
                  f: { use: collect, from: router.fizz, with: { name: fizz } }
                  b: { use: collect, from: router.buzz, with: { name: buzz } }
                  both: { use: collect, from: [router.fizz, router.buzz], with: { name: both } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids("fizz")).containsExactlyInAnyOrderElementsOf(upTo(3000, i -> i % 3 == 0));
        assertThat(ids("buzz")).containsExactlyInAnyOrderElementsOf(upTo(3000, i -> i % 5 == 0));
        List<Long> both = new ArrayList<>(upTo(3000, i -> i % 3 == 0));
        both.addAll(upTo(3000, i -> i % 5 == 0));
        assertThat(ids("both"))
                .as("a record on both outputs reaches a sink reading both twice")
                .containsExactlyInAnyOrderElementsOf(both);
        StatsSnapshot s = r.stats();
        assertThat(s.stages().get(1).outputs()).containsEntry("fizz", 1000L).containsEntry("buzz", 600L);
        // A processor's counts are net per batch: 1600 records on no output less 200 on two is 1400 filtered.
        // Each output read by two sinks copies its records once more.
        assertThat(s.filtered()).isEqualTo(1600 - 200);
        assertThat(s.derived()).isEqualTo(1000 + 600);
        assertThat(s.balanced()).isTrue();
    }

    @Test
    void withoutADefaultRecordsMatchingNoOutputAreCountedAsFiltered() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 1000 } } }
                processors:
                  router: { use: mod-router, from: in, with: { cases: { even: 2 } } }
                sinks:
                  e: { use: collect, from: router.even, with: { name: even } }
                """);
        assertThat(ids("even")).isEqualTo(upTo(1000, i -> i % 2 == 0));
        assertThat(r.stats().filtered()).isEqualTo(500);
        assertThat(r.stats().skipped()).isEqualTo(500);
        assertThat(r.stats().balanced()).isTrue();
    }

    @Test
    void aRecordForAnOutputThePluginDoesNotDeclareFailsTheRun() throws Exception {
        PipelineResult r = run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: emits-undeclared, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: x } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure())
                .contains("stage 'p' emitted a record to output 'nowhere', but its plugin declares no named outputs");
        assertThat(plugins.collected("x")).isEmpty();
    }

    @Test
    void aCrashedRoutingRunResumesExactlyOnceOnEveryOutput() throws Exception {
        String yaml = """
                name: routed
                sources: { in: { use: seq, with: { count: 50000, chunk: 100 } } }
                processors:
                  router:
                    use: mod-router
                    from: in
                    parallelism: 2
                    with: { cases: { fizz: 3, buzz: 5 }, default: rest, all: true }
                sinks:
                  f: { use: collect, from: router.fizz, with: { name: fizz } }
                  b: { use: collect, from: router.buzz, with: { name: buzz } }
                  o: { use: collect, from: router.rest, with: { name: rest } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 20 }
                """;
        CheckpointStore store = new CheckpointStore(new MemoryStateStore());
        delayMs = 1;
        PipelineRun first = engine.start(TestEngines.plan(engine, yaml), new RunOptions(store, true, "routed"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.load("routed").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel(); // like a kill: no final checkpoint
        first.await();
        long atCheckpoint =
                ((Number) store.load("routed").orElseThrow().sources().get("in").get("next")).longValue();
        assertThat(atCheckpoint).isLessThan(50000);

        delayMs = 0;
        PipelineResult r = engine.start(TestEngines.plan(engine, yaml), new RunOptions(store, true, "routed"))
                .await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids("fizz")).containsExactlyInAnyOrderElementsOf(upTo(50000, i -> i % 3 == 0));
        assertThat(ids("buzz")).containsExactlyInAnyOrderElementsOf(upTo(50000, i -> i % 5 == 0));
        assertThat(ids("rest")).containsExactlyInAnyOrderElementsOf(upTo(50000, i -> i % 3 != 0 && i % 5 != 0));
    }
}
