package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.pipeline.AdaptiveBatch;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code runtime.batch: {adaptive: true}}: batches grow past batch_size on a backlog and shrink on a trickle. */
@Timeout(60)
class AdaptiveBatchingTest {
    private static final List<Integer> BATCHES = new CopyOnWriteArrayList<>();

    private final InProcessPlugins plugins = new InProcessPlugins()
            .add(new TrickleSource())
            .processor("batch-sizes", () -> b -> {
                BATCHES.add(b.size());
                return b;
            });
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aBacklogGrowsTheBatchesBeyondBatchSize() throws Exception {
        BATCHES.clear();
        PipelineResult r = engine.run(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 200000, chunk: 100000 } } }
                processors: { p: { use: batch-sizes, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: backlog } } }
                runtime: { batch_size: 100, batch: { adaptive: true, max: 5000, increase: 200 } }
                """));
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("backlog")).hasSize(200000);
        assertThat(BATCHES.get(0)).isEqualTo(100);
        assertThat(BATCHES.stream().mapToInt(Integer::intValue).max().orElseThrow())
                .isEqualTo(5000);
    }

    @Test
    void aTrickleShrinksTheBatchesSoRecordsDoNotWait() throws Exception {
        BATCHES.clear();
        PipelineResult fixed = engine.run(TestEngines.plan(engine, """
                sources: { in: { use: trickle } }
                processors: { p: { use: batch-sizes, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: fixed } } }
                runtime: { batch_size: 1000, max_wait_ms: 100000 }
                """));
        assertThat(fixed.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(BATCHES)
                .as("fixed: every record waits for the batch to fill")
                .containsExactly(60);

        BATCHES.clear();
        PipelineResult adaptive = engine.run(TestEngines.plan(engine, """
                sources: { in: { use: trickle } }
                processors: { p: { use: batch-sizes, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: adaptive } } }
                runtime: { batch_size: 1000, max_wait_ms: 100000, batch: { adaptive: true, target_latency_ms: 5 } }
                """));
        assertThat(adaptive.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("adaptive")).hasSize(60);
        // a record arrives every >= 1 ms and a batch waits at most 5 ms: no batch holds more than that brings
        assertThat(BATCHES)
                .as("batches sent within the latency target")
                .hasSizeGreaterThan(7)
                .allMatch(n -> n <= 8);
    }

    @Test
    void theBatchSettingsAreReadAndCheckedNamingTheField() {
        PipelinePlan p = TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1 } } }
                sinks: { out: { use: collect, from: in, with: { name: c } } }
                runtime: { batch: { adaptive: true, target_latency_ms: 7, min: 2, max: 300 } }
                """);
        assertThat(p.definition().runtime().adaptiveBatch()).isEqualTo(new AdaptiveBatch(7, 2, 300, 100));
        PipelinePlan off = TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1 } } }
                sinks: { out: { use: collect, from: in, with: { name: c } } }
                runtime: { batch_size: 50, batch: { adaptive: false } }
                """);
        assertThat(off.definition().runtime().adaptiveBatch()).isNull();
        assertThat(off.definition().runtime().batchSize()).isEqualTo(50);
        Assertions.assertThatThrownBy(() -> TestEngines.plan(engine, """
                        sources: { in: { use: seq, with: { count: 1 } } }
                        sinks: { out: { use: collect, from: in, with: { name: c } } }
                        runtime: { batch: { adaptive: true, min: 50, max: 10, target_latncy_ms: 3 } }
                        """))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'runtime.batch.max' (10) must be at least 'runtime.batch.min' (50)")
                .hasMessageContaining("unknown key 'target_latncy_ms' in runtime.batch");
    }

    /** {@code trickle}: 60 records, one per poll with 1 ms between them, then the end. */
    static final class TrickleSource implements SourceFactory {
        @Override
        public String name() {
            return "trickle";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder().build();
        }

        @Override
        public Source create(PluginContext ctx) {
            Fields fields = Fields.of("id");
            return new Source() {
                long next;

                @Override
                public RecordBatch poll(int max) throws InterruptedException {
                    if (next >= 60) return null;
                    Thread.sleep(1);
                    return RecordBatch.builder(1).add(Record.of(fields, next++)).build();
                }
            };
        }
    }
}
