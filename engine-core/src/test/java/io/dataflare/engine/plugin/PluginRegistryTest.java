package io.dataflare.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.PluginJars;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Resolution by range, versions side by side, dependencies (class loading and the chain in errors), rejected files. */
@Timeout(60)
class PluginRegistryTest {
    @TempDir
    Path dir;

    private final InProcessPlugins inProcess = new InProcessPlugins();
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) engine.close();
    }

    private Engine engine(boolean watch) {
        engine = TestEngines.withFolder(dir, inProcess, watch);
        return engine;
    }

    private static String pipeline(String use, long count, String sink) {
        return """
                sources: { in: { use: seq, with: { count: %d } } }
                processors: { p: { use: "%s", from: in } }
                sinks: { out: { use: collect, from: p, with: { name: %s } } }
                """.formatted(count, use, sink);
    }

    private PipelineRun start(String yaml) {
        return engine.start(TestEngines.plan(engine, yaml));
    }

    private Problem problem(String use) {
        try {
            TestEngines.plan(engine, pipeline(use, 1, "x"));
        } catch (InvalidConfigException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().get(0);
        }
        throw new AssertionError(use + " resolved");
    }

    @Test
    void rangesPickTheHighestMatchingVersionAndTwoVersionsRunSideBySide() throws Exception {
        Fixtures.stamp(dir.resolve("stamp-1.0.0.jar"), "1.0.0");
        Fixtures.stamp(dir.resolve("stamp-1.2.0.jar"), "1.2.0");
        Fixtures.stamp(dir.resolve("stamp-2.0.0.jar"), "2.0.0");
        engine(false);
        assertThat(TestEngines.plan(engine, pipeline("stamp@^1", 1, "x"))
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@1.2.0");
        assertThat(TestEngines.plan(engine, pipeline("stamp@2.x", 1, "x"))
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@2.0.0");
        assertThat(TestEngines.plan(engine, pipeline("stamp", 1, "x"))
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@2.0.0");
        assertThat(TestEngines.plan(engine, pipeline("stamp@~1.0.0", 1, "x"))
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@1.0.0");

        PipelineRun one = start(pipeline("stamp@^1", 50_000, "one"));
        PipelineRun two = start(pipeline("stamp@2.x", 50_000, "two"));
        assertThat(one.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(two.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(inProcess.collected("one"))
                .hasSize(50_000)
                .allSatisfy(r -> assertThat(r.get("v")).isEqualTo("1.2.0"));
        assertThat(inProcess.collected("two"))
                .hasSize(50_000)
                .allSatisfy(r -> assertThat(r.get("v")).isEqualTo("2.0.0"));
    }

    @Test
    void aPluginSeesTheClassesOfTheDependencyVersionItResolvedTo() throws Exception {
        Fixtures.shouter(dir.resolve("shouter-1.4.0.jar"), "1.4.0", null);
        Fixtures.shouter(dir.resolve("shouter-2.0.0.jar"), "2.0.0", null);
        Fixtures.shout(dir.resolve("shout-1.0.0.jar"), "1.0.0", "shouter@^1");
        Fixtures.shout(dir.resolve("shout-2.0.0.jar"), "2.0.0", "shouter@>=2 <3");
        engine(false);
        assertThat(engine.plugins().entries())
                .filteredOn(e ->
                        e.file() != null && e.file().getFileName().toString().startsWith("shout-"))
                .extracting(e -> e.manifest().label() + " " + e.dependencies())
                .containsExactly("shout@1.0.0 [shouter@1.4.0]", "shout@2.0.0 [shouter@2.0.0]");

        PipelineRun v1 = start(pipeline("shout@^1", 10, "v1"));
        PipelineRun v2 = start(pipeline("shout@^2", 10, "v2"));
        assertThat(v1.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(v2.await().state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(inProcess.collected("v1").get(3).get("shout")).isEqualTo("K3 (shouter 1.4.0)");
        assertThat(inProcess.collected("v2").get(3).get("shout")).isEqualTo("K3 (shouter 2.0.0)");
    }

    @Test
    void aMissingDependencyIsALocatedProblemNamingTheChain() throws Exception {
        Fixtures.shouter(dir.resolve("shouter-1.4.0.jar"), "1.4.0", null);
        Fixtures.shout(dir.resolve("shout-1.2.0.jar"), "1.2.0", "shouter@^2");
        engine(false);
        Problem p = problem("shout");
        assertThat(p.message()).isEqualTo("shout@1.2.0 -> shouter@^2 : only shouter@1.4.0 installed");
        assertThat(p.location().line()).isEqualTo(2);
        assertThat(p.location().column()).isGreaterThan(1);
        PluginEntry e = engine.plugins().entries().stream()
                .filter(x -> x.file() != null && x.file().endsWith("shout-1.2.0.jar"))
                .findFirst()
                .orElseThrow();
        assertThat(e.state()).isEqualTo(PluginEntry.State.UNRESOLVED);
    }

    @Test
    void aVersionConflictNamesBothChains() throws Exception {
        Fixtures.shouter(dir.resolve("shouter-1.4.0.jar"), "1.4.0", null);
        Fixtures.shouter(dir.resolve("shouter-2.1.0.jar"), "2.1.0", null);
        PluginJars.spec("loud", "1.0.0")
                .attribute("Plugin-Dependencies", "shouter@^2")
                .write(dir.resolve("loud.jar"));
        Fixtures.shout(dir.resolve("shout.jar"), "1.0.0", "shouter@^1, loud@^1");
        engine(false);
        assertThat(problem("shout@1").message())
                .isEqualTo(
                        "shout@1.0.0 -> loud@1.0.0 -> shouter@^2 : conflicts with shout@1.0.0 -> shouter@^1 (shouter@1.4.0)");
    }

    @Test
    void aCycleIsReportedWithItsChain() throws Exception {
        PluginJars.spec("ping", "1.0.0")
                .attribute("Plugin-Dependencies", "shout@^1")
                .write(dir.resolve("ping.jar"));
        Fixtures.shout(dir.resolve("shout.jar"), "1.0.0", "ping");
        engine(false);
        assertThat(problem("shout").message()).isEqualTo("shout@1.0.0 -> ping@1.0.0 -> shout@^1 : dependency cycle");
    }

    @Test
    void engineRangeMismatchesNameThePluginOrTheChain() throws Exception {
        PluginJars.spec("stamp", "3.0.0")
                .extension(io.dataflare.engine.host.java.fixture.StampFactory.class)
                .attribute("Plugin-Requires", ">=2.0.0")
                .write(dir.resolve("stamp-3.jar"));
        Fixtures.shouter(dir.resolve("shouter-1.5.0.jar"), "1.5.0", "^2");
        Fixtures.shout(dir.resolve("shout.jar"), "1.0.0", "shouter@^1");
        engine(false);
        assertThat(problem("stamp@^3").message())
                .isEqualTo("stamp@3.0.0 requires engine >=2.0.0, this engine is 1.0.0");
        assertThat(problem("shout").message())
                .isEqualTo("shout@1.0.0 -> shouter@^1 : shouter@1.5.0 requires engine ^2, this engine is 1.0.0");
    }

    @Test
    void corruptBadManifestAndChecksumMismatchAreRejectedWhileTheEngineRuns() throws Exception {
        Fixtures.stamp(dir.resolve("stamp-1.0.0.jar"), "1.0.0");
        engine(true);
        List<PluginEvent> events = new CopyOnWriteArrayList<>();
        engine.plugins().addListener(events::add);
        PipelineRun run = start("""
                sources: { in: { use: seq, with: { count: 100000000 } } }
                processors: { p: { use: stamp, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: live, delay_ms: 5 } } }
                runtime: { batch_size: 100 }
                """);

        Files.write(dir.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 0, 0, 42});
        PluginJars.spec("stamp", "not-semver")
                .extension(io.dataflare.engine.host.java.fixture.StampFactory.class)
                .write(dir.resolve("bad-manifest.jar"));
        Path tampered = Fixtures.stamp(dir.resolve("stamp-9.0.0.jar"), "9.0.0");
        Files.writeString(ChecksumSidecar.of(tampered), "0".repeat(64) + "  stamp-9.0.0.jar\n");
        Path signed = Fixtures.stamp(dir.resolve("stamp-1.1.0.jar"), "1.1.0");
        ChecksumSidecar.write(signed);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> events.stream()
                                .filter(e -> e.kind() == PluginEvent.Kind.FAILED)
                                .count()
                        >= 3);
        assertThat(events)
                .filteredOn(e -> e.kind() == PluginEvent.Kind.FAILED)
                .extracting(e -> e.file().getFileName() + ": " + e.detail())
                .anySatisfy(s -> assertThat(s).startsWith("corrupt.jar: not a readable JAR"))
                .anySatisfy(
                        s -> assertThat(s)
                                .isEqualTo(
                                        "bad-manifest.jar: bad manifest: Plugin-Version 'not-semver' is not semver (e.g. 1.2.0)"))
                .anySatisfy(s -> assertThat(s)
                        .startsWith("stamp-9.0.0.jar: checksum mismatch: the file's SHA-256 is ")
                        .endsWith(", stamp-9.0.0.jar.sha256 says " + "0".repeat(64)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !inProcess.collected("live").isEmpty()
                        && "1.1.0".equals(last(inProcess.collected("live")).get("v")));
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(engine.plugins().entries())
                .filteredOn(e -> e.file() != null)
                .extracting(e -> e.file().getFileName() + " " + e.state())
                .contains(
                        "corrupt.jar FAILED",
                        "bad-manifest.jar FAILED",
                        "stamp-9.0.0.jar FAILED",
                        "stamp-1.1.0.jar LOADED");
        run.stop();
        PipelineResult r = run.await(Duration.ofSeconds(20));
        assertThat(r.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(r.stats().recordsOut()).isEqualTo(r.stats().recordsIn());
    }

    private static Record last(List<Record> l) {
        synchronized (l) {
            return l.get(l.size() - 1);
        }
    }
}
