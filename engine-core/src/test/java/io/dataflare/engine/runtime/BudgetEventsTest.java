package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets that hold a run back say so: as a {@link BudgetEvent} to the run's listeners (the task server's event
 * stream) and in {@code dataflare_budget_hits_total}. {@code runtime.disk_mb} bounds all spools of a run together,
 * the engine's disk budget all spools of all its runs, and {@code runtime.max_threads} the stages' threads.
 */
@Timeout(120)
class BudgetEventsTest {
    private static final String PAYLOAD = "p".repeat(200);

    @TempDir
    Path dir;

    private volatile boolean down = true;
    private final List<Record> delivered = Collections.synchronizedList(new ArrayList<>());
    private final List<BudgetEvent> events = Collections.synchronizedList(new ArrayList<>());

    private final InProcessPlugins plugins = new InProcessPlugins()
            .processor("fat", () -> b -> {
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (Record r : b) out.add(r.toBuilder().set("payload", PAYLOAD).build());
                return out.position(b.position()).build();
            })
            .add(new DownSink());
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) engine.close();
    }

    private PipelineRun start(String yaml) {
        PipelineRun run = engine.prepare(TestEngines.plan(engine, yaml));
        run.addListener(new PipelineListener() {
            @Override
            public void onBudget(PipelineRun r, BudgetEvent e) {
                events.add(e);
            }
        });
        return run.start();
    }

    private String twoBufferedSinks(String runtime) {
        return """
                name: disky
                sources: { in: { use: seq, with: { count: 20000, chunk: 100 } } }
                processors: { fat: { use: fat, from: in } }
                sinks:
                  a: { use: down, from: fat, buffer: { path: "%s", retry_ms: 20 } }
                  b: { use: down, from: fat, buffer: { path: "%s", retry_ms: 20 } }
                runtime: { batch_size: 100 %s }
                """.formatted(dir.resolve("a"), dir.resolve("b"), runtime);
    }

    private double gauge(String name) {
        Gauge g = engine.meters().find(name).gauge();
        return g == null ? -1 : g.value();
    }

    private double hits(String budget) {
        Counter c = engine.meters()
                .find("dataflare.budget.hits")
                .tag("budget", budget)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theRunsDiskBudgetBoundsAllItsSpoolsTogetherAndSaysSo() throws Exception {
        engine = TestEngines.withPlugins(plugins);
        PipelineRun run = start(twoBufferedSinks(", disk_mb: 1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> hits("disk") >= 1);
        Thread.sleep(200);
        assertThat(gauge("dataflare.disk.used.bytes"))
                .as("both spools together within disk_mb (plus at most the batch a spool took while empty)")
                .isLessThanOrEqualTo(1024 * 1024)
                .isPositive();
        assertThat(gauge("dataflare.disk.budget.bytes")).isEqualTo(1024 * 1024);
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        BudgetEvent hit = events.stream().filter(BudgetEvent::hit).findFirst().orElseThrow();
        assertThat(hit.budget()).isEqualTo("disk");
        assertThat(hit.stage()).isIn("a", "b");
        assertThat(hit.limit()).isEqualTo(1024 * 1024);
        assertThat(hit.message()).contains("runtime.disk_mb");

        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(delivered).hasSize(40_000);
        assertThat(events)
                .as("the held sink went on again")
                .anyMatch(e -> !e.hit() && e.budget().equals("disk"));
    }

    @Test
    void theEnginesDiskBudgetBoundsTheSpoolsOfAllItsRuns() throws Exception {
        engine = TestEngines.withPlugins(plugins, b -> b.diskMb(1));
        PipelineRun run = start(twoBufferedSinks(""));
        await().atMost(Duration.ofSeconds(30)).until(() -> hits("engine_disk") >= 1);
        Thread.sleep(200);
        assertThat(gauge("dataflare.engine.disk.used.bytes")).isLessThanOrEqualTo(1024 * 1024);
        assertThat(gauge("dataflare.engine.disk.budget.bytes")).isEqualTo(1024 * 1024);
        assertThat(events).anyMatch(e -> e.hit() && e.budget().equals("engine_disk"));
        down = false;
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(delivered).hasSize(40_000);
    }

    @Test
    void aMemoryBudgetCappingTheBatchesIsAnEvent() throws Exception {
        engine = TestEngines.withPlugins(plugins);
        down = false;
        PipelineRun run = start("""
                sources: { in: { use: seq, with: { count: 20000 } } }
                processors: { fat: { use: fat, from: in } }
                sinks: { out: { use: down, from: fat } }
                runtime: { batch_size: 5000, memory_mb: 1 }
                """);
        assertThat(run.await().state()).isEqualTo(PipelineState.COMPLETED);
        BudgetEvent e = events.stream().filter(BudgetEvent::hit).findFirst().orElseThrow();
        assertThat(e.budget()).isEqualTo("memory");
        assertThat(e.limit()).isEqualTo(1024 * 1024);
        assertThat(e.message()).contains("capped at");
        assertThat(hits("memory")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void maxThreadsRefusesAPipelineWhoseStagesNeedMore() {
        engine = TestEngines.withPlugins(plugins);
        assertThatThrownBy(() -> TestEngines.plan(engine, """
                        sources: { in: { use: seq, with: { count: 10 } } }
                        processors: { fat: { use: fat, from: in, parallelism: 4 } }
                        sinks: { out: { use: down, from: fat } }
                        runtime: { max_threads: 5 }
                        """))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("runtime.max_threads 5: the stages need 6 worker threads")
                .hasMessageContaining("fat: 4");
        Set<String> ok = new TreeSet<>();
        TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { fat: { use: fat, from: in, parallelism: 4 } }
                sinks: { out: { use: down, from: fat } }
                runtime: { max_threads: 6 }
                """).stages().forEach(s -> ok.add(s.name()));
        assertThat(ok).containsExactly("fat", "in", "out");
    }

    /** {@code down}: keeps records in memory; fails to connect while the test says it is down. */
    private final class DownSink implements SinkFactory {
        @Override
        public String name() {
            return "down";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder().build();
        }

        @Override
        public Sink create(PluginContext ctx) {
            return new Sink() {
                @Override
                public void write(RecordBatch batch, Rejections rejections) throws Exception {
                    if (down) throw new ConnectException("connection refused");
                    delivered.addAll(batch.records());
                }
            };
        }
    }
}
