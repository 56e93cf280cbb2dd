package io.dataflare.archetype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plugins built outside the reactor, as a third party builds them: a private Maven repository is seeded
 * with this build's BOM, plugin-api, record-json, engine-core, plugin-tck and archetype (nothing goes to ~/.m2; Maven plugins
 * and third-party libraries come from ~/.m2 read as a file repository, so this runs offline). Then the SDK
 * example is built on its own, a project is generated from the archetype and built with its test-kit IT,
 * and both JARs are dropped into the plugins folder of a running engine, which picks them up without a
 * restart and runs them in a pipeline.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class OutsideTheReactorIT {
    private static final String VERSION = System.getProperty("dataflare.version", "1.1.0-SNAPSHOT");
    private static Path root;
    private static Path work;
    private static Path repo;
    private static Path settings;

    @BeforeAll
    static void seedThePrivateRepository() throws IOException {
        root = Path.of(System.getProperty("reactor.root", ".."))
                .toAbsolutePath()
                .normalize();
        work = Path.of(System.getProperty("work.dir", "target/outside-the-reactor"))
                .toAbsolutePath();
        deleteTree(work);
        repo = Files.createDirectories(work.resolve("repo"));
        install("dataflare-parent", root.resolve("pom.xml"), null);
        // the BOM the SDK example and generated projects import (plugin-api, plugin-tck and PF4J versions)
        install("dataflare-bom", root.resolve("bom/pom.xml"), null);
        // module folder -> artifact
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("plugin-api", "plugin-api");
        modules.put("record-json", "dataflare-record-json");
        modules.put("engine-core", "engine-core");
        modules.put("plugin-tck", "plugin-tck");
        modules.forEach((module, artifact) -> {
            try {
                install(
                        artifact,
                        root.resolve(module).resolve("pom.xml"),
                        root.resolve(module).resolve("target").resolve(artifact + "-" + VERSION + ".jar"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        install(
                "dataflare-plugin-archetype",
                root.resolve("plugin-archetype/pom.xml"),
                Path.of(System.getProperty("archetype.jar")));
        String m2 = Path.of(System.getProperty("user.home"), ".m2", "repository")
                .toUri()
                .toString();
        settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror><id>local-m2</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(m2));
    }

    /** Lays out an artifact as `mvn install` would, with no remote origin recorded (so Maven treats it as installed). */
    private static void install(String artifact, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                repo.resolve("io/dataflare").resolve(artifact).resolve(VERSION));
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            assertThat(jar).as("built by the reactor before this IT").isRegularFile();
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void mvn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("mvn", "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repo));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(work, "mvn-", ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn did not finish: " + cmd);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(p.exitValue())
                .as(
                        "%s in %s:%n%s",
                        cmd, dir, String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())))
                .isZero();
    }

    @Test
    void theSdkExampleAndAnArchetypeProjectBuildOnTheirOwnAndARunningEnginePicksThemUp() throws Exception {
        // the SDK example, copied out of the reactor and built on its own
        Path sdk = work.resolve("sdk-example");
        copyTree(root.resolve("sdk-examples/java-plugin"), sdk);
        mvn(sdk, "package", "-DskipTests");
        Path sdkJar = sdk.resolve("target/example-plugin-1.0.0.jar");
        assertThat(sdkJar).isRegularFile();

        // a new project from the archetype, built with its unit test and its plugin-test-kit IT
        Path generated = Files.createDirectories(work.resolve("generated"));
        mvn(
                generated,
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("archetype.version", "3.3.1")
                        + ":generate",
                "-DarchetypeGroupId=io.dataflare",
                "-DarchetypeArtifactId=dataflare-plugin-archetype",
                "-DarchetypeVersion=" + VERSION,
                "-DgroupId=com.acme",
                "-DartifactId=acme-plugin",
                "-Dversion=0.1.0",
                "-Dpackage=com.acme.dataflare",
                "-DinteractiveMode=false");
        Path acme = generated.resolve("acme-plugin");
        assertThat(acme.resolve("src/main/java/com/acme/dataflare/WordCountFactory.java"))
                .content()
                .startsWith("package com.acme.dataflare;");
        mvn(acme, "verify");
        assertThat(acme.resolve("target/failsafe-reports"))
                .isDirectoryContaining(p -> p.getFileName().toString().contains("ExamplePluginContractIT"));
        Path acmeJar = acme.resolve("target/acme-plugin-0.1.0.jar");

        // a running engine picks both up from its plugins folder, without a restart
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        InProcessPlugins inProcess = new InProcessPlugins();
        List<PluginEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = TestEngines.withFolder(plugins, inProcess, true)) {
            engine.plugins().addListener(events::add);
            PipelineRun busy = engine.start(TestEngines.plan(engine, """
                    sources: { in: { use: seq, with: { count: 1000000000 } } }
                    sinks: { out: { use: collect, from: in, with: { name: busy, delay_ms: 20 } } }
                    runtime: { batch_size: 10 }
                    """));
            Files.copy(sdkJar, plugins.resolve(".example-plugin.jar.part"));
            Files.move(plugins.resolve(".example-plugin.jar.part"), plugins.resolve("example-plugin-1.0.0.jar"));
            Files.copy(acmeJar, plugins.resolve("acme-plugin-0.1.0.jar"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> events.stream()
                                    .filter(e -> e.kind() == PluginEvent.Kind.LOADED)
                                    .count()
                            >= 2);
            assertThat(events)
                    .filteredOn(e -> e.kind() == PluginEvent.Kind.LOADED)
                    .extracting(PluginEvent::plugin)
                    .containsExactlyInAnyOrder("example-plugin@1.0.0", "acme-plugin@0.1.0");

            PipelineResult r = engine.run(TestEngines.plan(engine, """
                    sources: { numbers: { use: counter@^1, with: { count: 500, prefix: "line number" } } }
                    processors: { count: { use: word-count@^1, from: numbers, with: { field: text } } }
                    sinks: { out: { use: collect, from: count, with: { name: words } } }
                    """));
            assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
            List<Record> words = inProcess.collected("words");
            assertThat(words).hasSize(500);
            assertThat(words.get(42).asMap())
                    .containsEntry("n", 42L)
                    .containsEntry("text", "line number 42")
                    .containsEntry("words", 3L);
            assertThat(busy.state()).isEqualTo(PipelineState.RUNNING);
            busy.stop();
            assertThat(busy.await(Duration.ofSeconds(30)).state()).isEqualTo(PipelineState.STOPPED);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) continue;
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
