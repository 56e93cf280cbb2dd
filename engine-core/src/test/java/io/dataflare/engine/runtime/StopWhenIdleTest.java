package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code runtime.stop_when_idle_ms}: an unbounded source that goes quiet ends the run COMPLETED, checkpointed. */
@Timeout(60)
class StopWhenIdleTest {
    private static final String PIPELINE = """
            name: idle
            sources: { in: { use: quiet, with: { burst: %d, gap_ms: %d } } }
            sinks: { out: { use: collect, from: in, with: { name: out } } }
            runtime: { batch_size: 100, checkpoint_interval_ms: 0%s }
            """;

    private final InProcessPlugins plugins =
            new InProcessPlugins().add(new QuietSource()).add(new SlowProcessor());
    private final Engine engine = TestEngines.withPlugins(plugins);
    private final CheckpointStore store = new CheckpointStore(new MemoryStateStore());

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(long burst, long gapMs, String runtime) {
        return engine.start(
                TestEngines.plan(engine, PIPELINE.formatted(burst, gapMs, runtime)),
                new RunOptions(store, true, "idle"));
    }

    @Test
    void aQuietEndlessSourceEndsCompletedWithEverythingDeliveredAndCheckpointed() throws Exception {
        long started = System.nanoTime();
        PipelineResult r = start(2_500, 0, ", stop_when_idle_ms: 300").await(Duration.ofSeconds(30));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).hasSize(2_500);
        assertThat(tookMs).as("not before the idle time").isGreaterThanOrEqualTo(300);
        Checkpoint cp = store.load("idle").orElseThrow();
        assertThat(((Number) cp.sources().get("in").get("next")).longValue()).isEqualTo(2_500);
        assertThat(((Number) cp.sinks().get("out").get("count")).longValue()).isEqualTo(2_500);
    }

    @Test
    void gapsShorterThanTheIdleTimeDoNotEndTheRun() throws Exception {
        // Bursts of 100 records 150 ms apart for 10 bursts, then quiet: only the final silence ends it.
        PipelineResult r = start(1_000, 150, ", stop_when_idle_ms: 600").await(Duration.ofSeconds(30));
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).hasSize(1_000);
    }

    @Test
    void aSourceHeldBackByASlowerStageIsNotIdle() throws Exception {
        // The processor takes longer per batch than the idle time, so the source waits on a full queue for
        // longer than that while records are still on their way: the run must not end until they are through.
        String pipeline = """
                name: idle
                sources: { in: { use: quiet, with: { burst: 800, gap_ms: 0 } } }
                processors: { slow: { use: slow, from: in, with: { ms: 400 } } }
                sinks: { out: { use: collect, from: slow, with: { name: out } } }
                runtime: { batch_size: 100, queue_batches: 1, checkpoint_interval_ms: 0, stop_when_idle_ms: 300 }
                """;
        PipelineResult r = engine.start(TestEngines.plan(engine, pipeline), new RunOptions(store, true, "idle"))
                .await(Duration.ofSeconds(30));
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).as("every record of the burst").hasSize(800);
    }

    @Test
    void withoutTheSettingAQuietSourceRunsOn() throws Exception {
        PipelineRun run = start(100, 0, "");
        Thread.sleep(800);
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        run.stop();
        assertThat(run.await(Duration.ofSeconds(10)).state()).isEqualTo(PipelineState.STOPPED);
    }

    @Test
    void theValueMustBeAPositiveWholeNumberNamedWithItsLine() {
        for (String bad : new String[] {"0", "-5", "soon"}) {
            assertThatThrownBy(() -> TestEngines.plan(engine, PIPELINE.formatted(1, 0, ", stop_when_idle_ms: " + bad)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("test.yaml:4:")
                    .hasMessageContaining("stop_when_idle_ms");
        }
    }

    /** {@code slow}: passes each batch on after {@code ms} milliseconds. */
    static final class SlowProcessor implements ProcessorFactory {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("ms", ConfigType.LONG, "time per batch")
                    .build();
        }

        @Override
        public Processor create(PluginContext ctx) {
            long ms = ctx.config().getLong("ms");
            return batch -> {
                Thread.sleep(ms);
                return batch;
            };
        }
    }

    /**
     * {@code quiet}: an unbounded source that produces {@code burst} records (in polls of 100, {@code gap_ms}
     * apart), then only empty batches: it never returns null.
     */
    static final class QuietSource implements SourceFactory {
        @Override
        public String name() {
            return "quiet";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("burst", ConfigType.LONG, "records before it goes quiet")
                    .optional("gap_ms", ConfigType.LONG, 0L, "pause between two polls of records")
                    .build();
        }

        @Override
        public Source create(PluginContext ctx) {
            long burst = ctx.config().getLong("burst");
            long gap = ctx.config().getLong("gap_ms", 0);
            Fields fields = Fields.of("id");
            return new Source() {
                long next;
                long due;

                @Override
                public void seek(Map<String, Object> position) {
                    next = ((Number) position.get("next")).longValue();
                }

                @Override
                public RecordBatch poll(int max) throws InterruptedException {
                    if (next >= burst || System.currentTimeMillis() < due) {
                        Thread.sleep(10);
                        return RecordBatch.builder()
                                .position(Map.of("next", next))
                                .build();
                    }
                    RecordBatch.Builder b = RecordBatch.builder(100);
                    for (int i = 0; i < 100 && next < burst; i++) b.add(Record.of(fields, next++));
                    due = System.currentTimeMillis() + gap;
                    return b.position(Map.of("next", next)).build();
                }
            };
        }
    }
}
