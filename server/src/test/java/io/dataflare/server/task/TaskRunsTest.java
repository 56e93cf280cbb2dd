package io.dataflare.server.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A task's runs are the engine's: they lease their plugins and follow the plugins the registry reloads. */
@Timeout(60)
class TaskRunsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final InProcessPlugins plugins = new InProcessPlugins();
    private Engine engine;
    private TaskCompiler compiler;
    private TaskManager tasks;

    @BeforeEach
    void server() throws Exception {
        Fixtures.stamp(dir.resolve("stamp.jar"), "1.0.0");
        engine = TestEngines.withFolder(dir, plugins, true);
        compiler = new TaskCompiler(engine, Map.<String, String>of()::get, SecretResolver.none());
        tasks = new TaskManager(engine, compiler, new MemoryStateStore());
    }

    @AfterEach
    void close() throws Exception {
        tasks.close();
        engine.close();
    }

    private void create(String id, long count) {
        TaskSpec spec = new TaskSpec(id, "yaml", """
                sources: { in: { use: seq, with: { count: %d } } }
                processors: { p: { use: "stamp@^1", from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """.formatted(count), dir.toString(), "api");
        tasks.lifecycle().create(spec, compiler.compile(spec));
    }

    private Object lastStamp() {
        List<Record> out = plugins.collected("out");
        synchronized (out) {
            return out.isEmpty() ? null : out.get(out.size() - 1).get("v");
        }
    }

    private LoadedPlugin stamp(String version) {
        return engine.plugins().plugins().stream()
                .filter(p -> p.label().equals("stamp@" + version))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aRunningTaskLeasesItsPluginsAndSwitchesToANewerVersion() throws Exception {
        create("t", 1_000_000_000L);
        tasks.lifecycle().start("t", false);
        await().atMost(WAIT).until(() -> "1.0.0".equals(lastStamp()));
        assertThat(stamp("1.0.0").leases())
                .as("the task's run holds its processor's plugin")
                .isEqualTo(1);

        Fixtures.stamp(dir.resolve("stamp-1.5.jar"), "1.5.0");
        await().atMost(WAIT).until(() -> "1.5.0".equals(lastStamp()));
        assertThat(tasks.get("t").run().plan().stage("p").component().pluginLabel())
                .isEqualTo("stamp@1.5.0");

        assertThat(tasks.lifecycle().stop("t").wasRunning()).isTrue();
        assertThat(stamp("1.5.0").leases()).as("a stopped task holds nothing").isZero();
    }

    @Test
    void aTaskWhosePluginWasReplacedWhileStoppedStartsOnTheReplacement() throws Exception {
        create("t", 1_000);
        LoadedPlugin compiledWith = stamp("1.0.0");
        Fixtures.stamp(
                dir.resolve("stamp.jar"), "1.0.0", "1.0.0-patched"); // replaced in place while the task is not running
        await().atMost(WAIT).until(compiledWith::isClosed);

        tasks.lifecycle().start("t", false);
        await().atMost(WAIT).until(() -> tasks.get("t").state() == TaskState.COMPLETED);
        assertThat(plugins.collected("out"))
                .hasSize(1_000)
                .extracting(r -> r.get("v"))
                .containsOnly("1.0.0-patched");
    }
}
