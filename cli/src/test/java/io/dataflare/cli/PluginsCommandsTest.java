package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.plugin.ChecksumSidecar;
import io.dataflare.engine.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins list | info | verify | install} on plugin JARs written by the test. */
class PluginsCommandsTest {
    @TempDir
    Path dir;

    Path plugins;

    record Result(int exit, String out, String err) {}

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void install() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Fixtures.stamp(plugins.resolve("stamp-1.0.0.jar"), "1.0.0");
        Fixtures.stamp(plugins.resolve("stamp-1.2.0.jar"), "1.2.0");
        Fixtures.shouter(plugins.resolve("shouter-1.4.0.jar"), "1.4.0", null);
        Fixtures.shout(plugins.resolve("shout-1.0.0.jar"), "1.0.0", "shouter@^1");
        Fixtures.shout(plugins.resolve("shout-2.0.0.jar"), "2.0.0", "shouter@^2");
        Files.write(plugins.resolve("zz-corrupt.jar"), new byte[] {1, 2, 3});
    }

    @Test
    void listShowsEveryVersionWithItsStateAndReason() throws Exception {
        Result r = cli("plugins", "list", "--json", "--plugins", plugins.toString());
        assertThat(r.exit()).isZero();
        List<String> rows = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(r.out())) {
            rows.add(n.get("name").asText() + " " + n.get("plugin").asText() + "@"
                    + n.get("version").asText() + " " + n.get("state").asText()
                    + (n.has("dependencies") ? " " + n.get("dependencies") : "")
                    + (n.has("reason") ? ": " + n.get("reason").asText() : ""));
        }
        assertThat(rows)
                .containsExactly(
                        "shout shout@1.0.0 loaded [\"shouter@1.4.0\"]",
                        "- shout@2.0.0 unresolved: shout@2.0.0 -> shouter@^2 : only shouter@1.4.0 installed",
                        "- shouter@1.4.0 loaded: provides no components: a library for other plugins; if it should provide components,"
                                + " annotate the factory classes (implementing SourceFactory, ProcessorFactory...) with @Extension and compile with -proc:full",
                        "stamp stamp@1.0.0 loaded",
                        "stamp stamp@1.2.0 loaded",
                        "- -@- failed: not a readable JAR (zip END header not found)");
        Result text = cli("plugins", "list", "--plugins", plugins.toString());
        assertThat(text.out()).contains("uses shouter@1.4.0").contains("unresolved");
    }

    @Test
    void listNamesTheFileOfAPluginThatDidNotLoad() {
        Result text = cli("plugins", "list", "--plugins", plugins.toString());
        assertThat(text.out().lines().filter(l -> l.contains("failed")))
                .singleElement()
                .asString()
                .contains(plugins.resolve("zz-corrupt.jar") + ": not a readable JAR");
        assertThat(text.out().lines().filter(l -> l.contains("unresolved")))
                .singleElement()
                .asString()
                .contains(plugins.resolve("shout-2.0.0.jar") + ": shout@2.0.0 -> shouter@^2");
        assertThat(text.out().lines().filter(l -> l.contains(" loaded ")))
                .as("usable plugins keep their description")
                .noneMatch(l -> l.contains(plugins.toString()));
    }

    @Test
    void infoShowsTheResolvedVersionItsConfigAndDependencies() throws Exception {
        Result r = cli("plugins", "info", "stamp@^1", "--json", "--plugins", plugins.toString());
        assertThat(r.exit()).isZero();
        JsonNode i = new ObjectMapper().readTree(r.out());
        assertThat(i.get("version").asText()).isEqualTo("1.2.0");
        assertThat(i.get("other_versions").get(0).asText()).isEqualTo("1.0.0 (loaded)");
        assertThat(i.get("components").get(0).get("config").get(0).get("name").asText())
                .isEqualTo("note");

        Result shout = cli("plugins", "info", "shout", "--plugins", plugins.toString());
        assertThat(shout.out())
                .startsWith("shout@1.0.0  (java, loaded)")
                .containsPattern("resolved dependencies: +shouter@1.4.0")
                .containsPattern("other versions: +2.0.0 \\(unresolved\\)")
                .contains("processor shout")
                .contains("(no options)");
        Result v2 = cli("plugins", "info", "shout@2", "--plugins", plugins.toString());
        assertThat(v2.out())
                .containsPattern("why: +shout@2")
                .contains("shout@2.0.0 -> shouter@^2 : only shouter@1.4.0 installed");
        assertThat(cli("plugins", "info", "nothing", "--plugins", plugins.toString())
                        .exit())
                .isEqualTo(1);
    }

    @Test
    void verifyChecksManifestChecksumAndLoadability() throws Exception {
        Path tampered = Fixtures.stamp(plugins.resolve("stamp-3.0.0.jar"), "3.0.0");
        Files.writeString(ChecksumSidecar.of(tampered), "f".repeat(64) + "\n");
        ChecksumSidecar.write(plugins.resolve("stamp-1.2.0.jar"));
        Result dirResult = cli("plugins", "verify", plugins.toString());
        assertThat(dirResult.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(dirResult.out())
                .contains("OK   stamp-1.2.0.jar (stamp@1.2.0): processor stamp; checksum verified; sha256 ")
                .contains("OK   stamp-1.0.0.jar (stamp@1.0.0): processor stamp; no .sha256 sidecar")
                .contains("FAIL stamp-3.0.0.jar: failed: checksum mismatch: the file's SHA-256 is ")
                .contains(
                        "FAIL shout-2.0.0.jar (shout@2.0.0): unresolved: shout@2.0.0 -> shouter@^2 : only shouter@1.4.0 installed")
                .contains("FAIL zz-corrupt.jar: failed: not a readable JAR")
                .contains("4 of 7 plugin file(s) usable");
        Result one = cli("plugins", "verify", plugins.resolve("shout-1.0.0.jar").toString());
        assertThat(one.exit()).isZero();
        assertThat(one.out()).contains("dependencies shouter@1.4.0");
    }

    @Test
    void installVerifiesThenCopiesWithASidecar() throws Exception {
        Path into = dir.resolve("installed");
        Path built = Fixtures.stamp(dir.resolve("build/my-stamp.jar"), "4.0.0");
        Result r = cli("plugins", "install", built.toString(), "--into", into.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("installed stamp@4.0.0 into " + into.resolve("stamp-4.0.0.jar"));
        assertThat(into.resolve("stamp-4.0.0.jar")).exists();
        assertThat(ChecksumSidecar.verify(into.resolve("stamp-4.0.0.jar"))).hasSize(64);
        assertThat(cli("plugins", "verify", into.toString()).exit()).isZero();

        Path repo = dir.resolve("m2");
        Fixtures.stamp(repo.resolve("com/acme/stamp-plugin/5.0.0/stamp-plugin-5.0.0.jar"), "5.0.0");
        Result gav = cli(
                "plugins",
                "install",
                "com.acme:stamp-plugin:5.0.0",
                "--repo",
                repo.toString(),
                "--into",
                into.toString());
        assertThat(gav.exit()).as(gav.err()).isZero();
        assertThat(into.resolve("stamp-5.0.0.jar")).exists();

        Result bad = cli("plugins", "install", plugins.resolve("zz-corrupt.jar").toString(), "--into", into.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("is not a usable plugin: failed: not a readable JAR");
        Result missing = cli(
                "plugins", "install", "com.acme:nothing:1.0.0", "--repo", repo.toString(), "--into", into.toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.FAILED);
        try (var s = Files.list(into)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
                            "stamp-4.0.0.jar", "stamp-4.0.0.jar.sha256", "stamp-5.0.0.jar", "stamp-5.0.0.jar.sha256");
        }
    }

    @Test
    void everyPluginsCommandHasHelp() {
        for (String c : List.of("list", "info", "verify", "install")) {
            Result r = cli("plugins", c, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage: dataflare plugins " + c);
        }
    }
}
