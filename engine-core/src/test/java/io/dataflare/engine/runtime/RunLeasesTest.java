package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateLockedException;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run the engine makes leases its plugins from {@code prepare} until it ends, its start is refused, or it is closed unstarted. */
@Timeout(60)
class RunLeasesTest {
    private static final String ENDLESS = """
            name: leased
            sources: { in: { use: seq, with: { count: 1000000000 } } }
            sinks: { out: { use: collect, from: in, with: { name: out, delay_ms: 1 } } }
            runtime: { batch_size: 100 }
            """;

    private final InProcessPlugins plugins = new InProcessPlugins();
    private Engine engine = TestEngines.withPlugins(plugins);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        engine.close();
    }

    /** The in-process plugin the pipelines use (its source and sink: two leases per run). */
    private LoadedPlugin testPlugins() {
        return engine.plugins().plugins().stream()
                .filter(p -> p.manifest().getPluginId().equals("test-plugins"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPreparedRunLeasesItsPluginsBeforeItStartsAndLetsGoWhenClosedUnstarted() throws Exception {
        PipelineRun run = engine.prepare(TestEngines.plan(engine, ENDLESS));
        assertThat(run.state()).isEqualTo(PipelineState.CREATED);
        assertThat(testPlugins().leases()).isEqualTo(2);
        run.close();
        assertThat(testPlugins().leases()).isZero();
        assertThatThrownBy(run::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prepare another");
    }

    @Test
    void aRunLetsGoOfItsPluginsWhenItEnds() throws Exception {
        PipelineRun run = engine.start(TestEngines.plan(engine, ENDLESS));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !plugins.collected("out").isEmpty());
        assertThat(testPlugins().leases()).isEqualTo(2);
        run.stop();
        assertThat(run.await().state()).isEqualTo(PipelineState.STOPPED);
        assertThat(testPlugins().leases()).isZero();
    }

    @Test
    void aRunRefusedAtStartLetsGoOfItsPlugins() throws Exception {
        CheckpointStore store = new CheckpointStore(new MemoryStateStore());
        PipelinePlan plan = TestEngines.plan(engine, ENDLESS);
        PipelineRun first = engine.start(plan, new RunOptions(store, true, "leased"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !plugins.collected("out").isEmpty());

        PipelineRun second = engine.prepare(plan, new RunOptions(store, true, "leased"));
        assertThat(testPlugins().leases()).isEqualTo(4);
        assertThatThrownBy(second::start).isInstanceOf(StateLockedException.class);
        assertThat(second.state()).isEqualTo(PipelineState.CREATED);
        assertThat(testPlugins().leases())
                .as("only the first run holds the plugins")
                .isEqualTo(2);
        assertThatThrownBy(second::start)
                .as("a refused run cannot be started again")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prepare another");

        assertThatThrownBy(() -> engine.start(plan, new RunOptions(store, true, "leased")))
                .isInstanceOf(StateLockedException.class);
        assertThat(testPlugins().leases()).as("Engine.start refused alike").isEqualTo(2);
        first.stop();
        first.await();
        assertThat(testPlugins().leases()).isZero();
    }

    @Test
    void aPlanWhosePluginWasUnloadedSinceItWasValidatedIsRefusedAsStale() throws Exception {
        engine.close();
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0");
        engine = TestEngines.withFolder(dir, plugins, false);
        PipelinePlan plan = TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: stamp, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                """);
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0", "1.0.0-patched"); // replaced while nothing runs it: unloaded
        engine.plugins().scan();

        assertThatThrownBy(() -> engine.prepare(plan))
                .isInstanceOf(StalePlanException.class)
                .hasMessage("stamp@1.0.0 was unloaded after the pipeline was validated: validate it again");
        assertThat(testPlugins().leases())
                .as("what it leased before finding out is let go")
                .isZero();
        PipelineResult again = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: stamp, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                """)).await();
        assertThat(again.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).extracting(r -> r.get("v")).containsOnly("1.0.0-patched");
    }

    @Test
    void aNewerVersionLoadedBeforeAPreparedRunStartsIsNoSwitchOfIt() throws Exception {
        engine.close();
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0");
        engine = TestEngines.withFolder(dir, plugins, false);
        List<PluginEvent> events = new CopyOnWriteArrayList<>();
        engine.plugins().addListener(events::add);
        PipelineRun run = engine.prepare(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: "stamp@^1", from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                """));
        Fixtures.stamp(dir.resolve("stamp-1.5.jar"), "1.5.0");
        engine.plugins().scan();

        assertThat(events).extracting(PluginEvent::kind).containsExactly(PluginEvent.Kind.LOADED);
        assertThat(run.start().await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("out")).extracting(r -> r.get("v")).containsOnly("1.0.0");
    }
}
