package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.cli.fixture.DiscardSinkFactory;
import io.dataflare.cli.fixture.EmptySourceFactory;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.PluginJars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins keygen | sign | verify} and {@code --require-signed} through the command line. */
class PluginsSigningTest {
    @TempDir
    Path dir;

    Path plugins;
    Path keys;
    Path trusted;

    record Result(int exit, String out, String err) {}

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void aPublisher() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        keys = dir.resolve("keys");
        trusted = Files.createDirectories(dir.resolve("trusted"));
        Result r = cli("plugins", "keygen", "acme", "--dir", keys.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("key id ");
        Files.copy(keys.resolve("acme.pub"), trusted.resolve("acme.pub"));
        Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0");
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndNeverOverwrites() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("acme.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keys.resolve("acme.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(keys.resolve("acme.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        String before = Files.readString(keys.resolve("acme.key"));
        Result again = cli("plugins", "keygen", "acme", "--dir", keys.toString());
        assertThat(again.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("acme.key exists");
        assertThat(Files.readString(keys.resolve("acme.key"))).isEqualTo(before);
    }

    @Test
    void signThenVerifyReportsTheSignerAndAChangedByteIsABadSignature() throws Exception {
        Path jar = plugins.resolve("stamp.jar");
        Result sign = cli(
                "plugins",
                "sign",
                jar.toString(),
                "--key",
                keys.resolve("acme.key").toString());
        assertThat(sign.exit()).as(sign.err()).isZero();
        assertThat(jar.resolveSibling("stamp.jar.sig")).isRegularFile();

        Result ok = cli("plugins", "verify", jar.toString(), "--trusted-keys", trusted.toString(), "--require-signed");
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out())
                .containsPattern("OK   stamp.jar \\(stamp@1.0.0\\): .*; signed by acme \\(key [0-9a-f]{64}\\)");

        byte[] b = Files.readAllBytes(jar);
        b[b.length / 2] ^= 1;
        Files.write(jar, b);
        Result bad = cli("plugins", "verify", jar.toString(), "--trusted-keys", trusted.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.out())
                .contains("FAIL stamp.jar")
                .contains("bad signature: stamp.jar changed since it was signed");
    }

    @Test
    void unsignedIsReportedAndFailsOnlyWhenSignaturesAreRequired() throws Exception {
        Path jar = plugins.resolve("stamp.jar");
        Result lax = cli("plugins", "verify", jar.toString(), "--trusted-keys", trusted.toString());
        assertThat(lax.exit()).as(lax.out()).isZero();
        assertThat(lax.out()).contains("OK   stamp.jar").contains("; unsigned");
        Result strict = cli("plugins", "verify", jar.toString(), "--require-signed");
        assertThat(strict.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(strict.out()).contains("FAIL stamp.jar");
    }

    @Test
    void validateRefusesAnUnsignedPluginNamingTheFile() throws Exception {
        Path io = PluginJars.spec("io-fixtures", "1.0.0")
                .extension(EmptySourceFactory.class)
                .extension(DiscardSinkFactory.class)
                .write(plugins.resolve("io-fixtures-1.0.0.jar"));
        cli("plugins", "sign", io.toString(), "--key", keys.resolve("acme.key").toString());
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { in: { use: empty } }
                processors: { s: { use: stamp, from: in } }
                sinks: { out: { use: discard, from: s } }
                """);
        Result refused = cli(
                "validate",
                p.toString(),
                "--plugins",
                plugins.toString(),
                "--require-signed",
                "--trusted-keys",
                trusted.toString());
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err())
                .contains(plugins.resolve("stamp.jar").toAbsolutePath() + ": refused (plugins must be signed):"
                        + " stamp.jar is not signed (no stamp.jar.sig)");

        cli(
                "plugins",
                "sign",
                plugins.resolve("stamp.jar").toString(),
                "--key",
                keys.resolve("acme.key").toString());
        Result valid = cli(
                "validate",
                p.toString(),
                "--plugins",
                plugins.toString(),
                "--require-signed",
                "--trusted-keys",
                trusted.toString());
        assertThat(valid.exit()).as(valid.err()).isZero();
    }
}
