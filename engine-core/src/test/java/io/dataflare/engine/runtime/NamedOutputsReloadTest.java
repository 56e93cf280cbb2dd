package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.host.java.fixture.RouteStampFactory;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.PluginJars;
import io.dataflare.engine.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload of a processor with named outputs: a version with the same outputs switches in, other outputs do not. */
@Timeout(60)
class NamedOutputsReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final InProcessPlugins plugins = new InProcessPlugins();
    private final List<PluginEvent> events = new CopyOnWriteArrayList<>();
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) engine.close();
    }

    private void routeStamp(String version, String stamp) throws IOException {
        PluginJars.spec("route-stamp", version)
                .extension(RouteStampFactory.class)
                .resource("stamp.txt", stamp)
                .write(dir.resolve("route-stamp-" + version + ".jar"));
    }

    private Object lastStamp() {
        List<Record> out = plugins.collected("out");
        synchronized (out) {
            return out.isEmpty() ? null : out.get(out.size() - 1).get("v");
        }
    }

    @Test
    void aVersionWithOtherOutputsIsRefusedAndOneWithTheSameOutputsSwitchesIn() throws Exception {
        routeStamp("1.0.0", "1.0.0");
        engine = TestEngines.withFolder(dir, plugins, true);
        engine.plugins().addListener(events::add);
        PipelineRun run = engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors: { p: { use: "route-stamp@^1", from: in } }
                sinks: { out: { use: collect, from: p.a, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """));
        await().atMost(WAIT).until(() -> "1.0.0".equals(lastStamp()));

        routeStamp("1.1.0", "wide 1.1.0");
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED));
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.SWITCH_REJECTED)
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .isEqualTo("route-stamp@1.1.0 not used, route-stamp@1.0.0 keeps serving: its named outputs"
                                + " [a, b] are not the running version's [a] (the stages reading them are wired for"
                                + " this run)"));
        int before = plugins.collected("out").size();
        await().atMost(WAIT).until(() -> plugins.collected("out").size() > before + 500);
        assertThat(lastStamp()).isEqualTo("1.0.0");

        routeStamp("1.2.0", "1.2.0");
        await().atMost(WAIT).until(() -> "1.2.0".equals(lastStamp()));
        run.stop();
        PipelineResult r = run.await();
        assertThat(r.state()).isEqualTo(PipelineState.STOPPED);
        List<Record> out = plugins.collected("out");
        synchronized (out) {
            for (int i = 0; i < out.size(); i++)
                assertThat(out.get(i).getLong("id")).isEqualTo(i);
        }
    }
}
