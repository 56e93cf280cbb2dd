package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.plugin.ChecksumSidecar;
import io.dataflare.engine.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins info | verify | install} on the packaged distribution and its real built-in plugin JARs. */
class PluginsCommandsIT {
    @TempDir
    Path dir;

    @Test
    void infoShowsABuiltInComponentsManifestAndOptions() throws Exception {
        Distribution.Cli r = Distribution.cli("plugins", "info", "filter", "--json");
        assertThat(r.exit()).isZero();
        JsonNode i = Distribution.JSON.readTree(r.out());
        assertThat(i.get("plugin").asText()).isEqualTo("dataflare-transforms");
        assertThat(i.get("requires").asText()).isEqualTo("^1.0.0");
        assertThat(i.get("license").asText()).isEqualTo("Apache-2.0");
        assertThat(i.get("checksum").asText()).hasSize(64);
        assertThat(i.get("components")).anySatisfy(c -> {
            assertThat(c.get("name").asText()).isEqualTo("filter");
            assertThat(c.get("config").get(0).get("name").asText()).isEqualTo("expr");
            assertThat(c.get("config").get(0).get("required").asBoolean()).isTrue();
        });
        assertThat(Distribution.cli("plugins", "info", "generator").out())
                .contains("count")
                .contains("default 1000");
    }

    @Test
    void theBuiltInPluginsVerify() throws Exception {
        long builtIn;
        try (var jars = Files.list(Distribution.plugins())) {
            builtIn = jars.filter(f -> f.toString().endsWith(".jar")).count();
        }
        assertThat(builtIn).as("the built-in plugin JARs").isGreaterThanOrEqualTo(6);
        Distribution.Cli r =
                Distribution.cli("plugins", "verify", Distribution.plugins().toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "OK   transforms.jar (dataflare-transforms@1.1.0): processor cast, processor dedupe, processor drop,"
                                + " processor filter, processor join, processor map, processor rename, processor select,"
                                + " processor switch, processor window;")
                .contains("OK   jdbc.jar (dataflare-jdbc@1.1.0): source jdbc, sink jdbc")
                .contains("OK   kafka.jar (dataflare-kafka@1.1.0): source kafka, sink kafka")
                .contains(
                        "OK   kafka-connect.jar (dataflare-kafka-connect@1.1.0): source kafka-connect-source, sink kafka-connect-sink")
                .contains(
                        "OK   columnar.jar (dataflare-columnar@1.1.0): source avro-file, source parquet-file, sink avro-file, sink parquet-file")
                .contains(builtIn + " of " + builtIn + " plugin file(s) usable");
        // the distribution ships a .sha256 sidecar beside each built-in plugin, checked before it loads
        assertThat(r.out().lines().filter(l -> l.startsWith("OK ")).toList())
                .hasSize((int) builtIn)
                .allSatisfy(l -> assertThat(l).contains("checksum verified"));
        // the distribution's own plugins need no signature, even under --require-signed
        assertThat(r.out().lines().filter(l -> l.startsWith("OK ")).toList())
                .allSatisfy(l -> assertThat(l).endsWith("; unsigned (built in)"));
        Distribution.Cli strict =
                Distribution.cli("plugins", "verify", Distribution.plugins().toString(), "--require-signed");
        assertThat(strict.exit()).as(strict.out()).isZero();
    }

    @Test
    void anInstalledPluginRunsInAPipelineAndABrokenOneIsRefused() throws Exception {
        Path built = Fixtures.stamp(dir.resolve("build/stamp.jar"), "1.3.0");
        Path into = dir.resolve("my-plugins");
        Distribution.Cli install = Distribution.cli("plugins", "install", built.toString(), "--into", into.toString());
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(ChecksumSidecar.verify(into.resolve("stamp-1.3.0.jar"))).isNotNull();

        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { gen: { use: generator, with: { count: 100 } } }
                processors: { s: { use: stamp@^1.3, from: gen } }
                sinks: { out: { use: jsonl-file, from: s, with: { path: out.jsonl } } }
                """);
        Distribution.Cli run = Distribution.cli("run", p.toString(), "--json", "--plugins", into.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        assertThat(lines).hasSize(100).allSatisfy(l -> assertThat(l).contains("\"v\":\"1.3.0\""));

        Files.write(dir.resolve("broken.jar"), new byte[] {'P', 'K'});
        Distribution.Cli refused =
                Distribution.cli("plugins", "install", dir.resolve("broken.jar").toString(), "--into", into.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("is not a usable plugin").contains("not a readable JAR");
        Distribution.Cli list = Distribution.cli("plugins", "list", "--json", "--plugins", into.toString());
        assertThat(Distribution.JSON.readTree(list.out())).anySatisfy(n -> {
            assertThat(n.get("plugin").asText()).isEqualTo("stamp");
            assertThat(n.get("state").asText()).isEqualTo("loaded");
        });
    }
}
