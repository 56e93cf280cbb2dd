package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.scale.ElasticStatus;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.runtime.scale.RescaleEvent;
import io.dataflare.engine.state.KeyGroups;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Elastic parallelism end to end: the autoscaler grows a slow keyed stage under load and shrinks it when the
 * load stops, an operator rescales it by hand, and through every rescale each record arrives exactly once with
 * each key's records in order.
 */
@Timeout(120)
class ElasticScalingTest {
    /** What the {@code phased} source does now. */
    enum Phase {
        LOAD,
        IDLE,
        END
    }

    private static volatile Phase phase = Phase.LOAD;
    private static final AtomicLong PRODUCED = new AtomicLong();

    private final InProcessPlugins plugins =
            new InProcessPlugins().add(new PhasedSource()).add(new SlowTagger());
    private final Engine engine = TestEngines.withPlugins(plugins);

    @AfterEach
    void close() {
        phase = Phase.END;
        engine.close();
    }

    private static final String PIPELINE = """
            sources: { in: { use: phased } }
            processors:
              work:
                use: slow
                from: in
                routing: { key: key, strategy: hash }
                parallelism:
                  min: 1
                  max: 6
                  auto: true
                  scale_threshold: 0.7
                  scale_up_after_ms: 200
                  scale_down_after_ms: 300
                  check_interval_ms: 50
                  window_batches: 20
            sinks: { out: { use: collect, from: work, with: { name: out } } }
            runtime: { batch_size: 100, queue_batches: 20 }
            """;

    @Test
    void scalesUpUnderLoadAndBackDownWithEveryRecordOnceAndKeysInOrder() throws Exception {
        phase = Phase.LOAD;
        PRODUCED.set(0);
        PipelineRun run = engine.prepare(TestEngines.plan(engine, PIPELINE));
        List<RescaleEvent> events = new CopyOnWriteArrayList<>();
        run.addListener(new PipelineListener() {
            @Override
            public void onRescale(PipelineRun r, RescaleEvent e) {
                events.add(e);
            }
        });
        run.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> instances(run) >= 3);

        phase = Phase.IDLE;
        await().atMost(Duration.ofSeconds(30)).until(() -> instances(run) == 1);
        phase = Phase.END;
        PipelineResult r = run.await(Duration.ofSeconds(30));

        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(events).anyMatch(e -> e.to() > e.from() && e.reason().equals("auto"));
        assertThat(events).anyMatch(e -> e.to() < e.from() && e.reason().equals("auto"));
        assertThat(events).allMatch(e -> e.movedGroups() > 0);
        assertExactlyOnceInKeyOrder(plugins.collected("out"), PRODUCED.get());
        assertThat(engine.meters()
                        .get("dataflare.rescales")
                        .tags("stage", "work", "direction", "up")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anOperatorRescalesWhileRecordsFlow() throws Exception {
        phase = Phase.LOAD;
        PRODUCED.set(0);
        PipelineRun run = engine.prepare(TestEngines.plan(engine, PIPELINE.replace("auto: true", "auto: false")));
        List<String> handedOver = new CopyOnWriteArrayList<>();
        run.keyGroupHandOver((stage, groups, from, to) -> {
            for (int g : groups) {
                assertThat(KeyGroups.instanceOf(g, KeyGroups.DEFAULT_COUNT, from == 0 && to > 0 ? 1 : 5))
                        .as("group %s owned by %s before the move", g, from)
                        .isEqualTo(from);
            }
            handedOver.add(stage + ":" + from + "->" + to);
        });
        run.start();
        await().until(() -> PRODUCED.get() > 2000);
        RescaleEvent up = run.parallelism("work", new ParallelismChange(5, null, null, null));
        assertThat(up.from()).isEqualTo(1);
        assertThat(up.to()).isEqualTo(5);
        assertThat(up.reason()).isEqualTo("manual");
        assertThat(instances(run)).isEqualTo(5);
        await().until(() -> PRODUCED.get() > 6000);
        assertThat(handedOver).containsExactly("work:0->1", "work:0->2", "work:0->3", "work:0->4");
        handedOver.clear();
        RescaleEvent down = run.parallelism("work", new ParallelismChange(2, null, null, null));
        assertThat(down.to()).isEqualTo(2);
        assertThat(handedOver).isNotEmpty().allMatch(m -> m.startsWith("work:") && !m.endsWith("->4"));

        assertThatThrownBy(() -> run.parallelism("work", new ParallelismChange(7, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 6");
        assertThatThrownBy(() -> run.parallelism("work", new ParallelismChange(null, null, 9, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism.max");
        assertThatThrownBy(() -> run.parallelism("nope", new ParallelismChange(2, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");

        phase = Phase.END;
        PipelineResult r = run.await(Duration.ofSeconds(30));
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertExactlyOnceInKeyOrder(plugins.collected("out"), PRODUCED.get());
        Set<Long> used = new HashSet<>();
        for (Record rec : plugins.collected("out")) used.add(rec.getLong("instance"));
        assertThat(used).as("instances that processed records").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aFixedParallelismCannotBeChangedWhileRunning() throws Exception {
        phase = Phase.LOAD;
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: phased } }
                processors: { work: { use: slow, from: in, parallelism: 2 } }
                sinks: { out: { use: collect, from: work, with: { name: fixed } } }
                """));
        assertThatThrownBy(() -> run.parallelism("work", new ParallelismChange(3, null, null, null)))
                .isInstanceOf(RescaleRefusedException.class)
                .hasMessageContaining("fixed parallelism of 2");
        run.cancel();
        run.await(Duration.ofSeconds(30));
    }

    private static int instances(PipelineRun run) {
        for (ElasticStatus s : run.elasticStages()) {
            if (s.stage().equals("work")) return s.instances();
        }
        throw new AssertionError("no elastic stage 'work'");
    }

    /** Every id produced arrives once, and each key's ids (its sequence) arrive increasing. */
    private static void assertExactlyOnceInKeyOrder(List<Record> out, long produced) {
        assertThat(produced).isGreaterThan(0);
        assertThat(out).hasSize((int) produced);
        Set<Long> ids = new HashSet<>();
        Map<String, Long> last = new HashMap<>();
        for (Record rec : out) {
            long id = rec.getLong("id");
            assertThat(ids.add(id)).as("record %s once", id).isTrue();
            Long prev = last.put(rec.getString("key"), rec.getLong("seq"));
            assertThat(prev == null || prev < rec.getLong("seq"))
                    .as("order of key %s: %s after %s", rec.getString("key"), rec.getLong("seq"), prev)
                    .isTrue();
        }
    }

    /**
     * {@code phased}: while LOAD, records {@code id, key, seq} (40 keys, seq counting per key) as fast as asked;
     * IDLE, nothing (an unbounded source waiting); END, the end.
     */
    static final class PhasedSource implements SourceFactory {
        @Override
        public String name() {
            return "phased";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder().build();
        }

        @Override
        public Source create(PluginContext ctx) {
            Fields fields = Fields.of("id", "key", "seq");
            long[] seq = new long[40];
            return new Source() {
                long next;

                @Override
                public RecordBatch poll(int max) {
                    switch (phase) {
                        case END:
                            return null;
                        case IDLE:
                            return RecordBatch.EMPTY;
                        default:
                            RecordBatch.Builder b = RecordBatch.builder(max);
                            for (int i = 0; i < max; i++, next++) {
                                int k = (int) (next % seq.length);
                                b.add(Record.of(fields, next, "k" + k, seq[k]++));
                            }
                            PRODUCED.addAndGet(max);
                            return b.position(Map.of("next", next)).build();
                    }
                }
            };
        }
    }

    /** {@code slow}: 20 ms per batch (one instance cannot keep up), tagging each record with its instance. */
    static final class SlowTagger implements ProcessorFactory {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public Processor create(PluginContext ctx) {
            long instance = ctx.instance();
            return b -> {
                Thread.sleep(20);
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (Record r : b)
                    out.add(r.toBuilder().set("instance", instance).build());
                return out.build();
            };
        }
    }
}
