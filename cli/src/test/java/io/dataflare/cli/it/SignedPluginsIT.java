package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed plugins with the packaged distribution: an unsigned WASM module is refused at validation under
 * {@code --require-signed}, naming the file, while the distribution's own plugins need no signature.
 */
class SignedPluginsIT {
    private static final Path MODULE = Path.of("..", "sdk-examples", "wasm", "c", "c-tag-1.0.0.wasm");

    @TempDir
    Path dir;

    @Test
    void anUnsignedWasmModuleIsRefusedAtValidationAndASignedOneIsValid() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("my-plugins"));
        Path module = Files.copy(MODULE, plugins.resolve("c-tag-1.0.0.wasm"));
        Files.copy(MODULE.resolveSibling("c-tag-1.0.0.wasm.yaml"), plugins.resolve("c-tag-1.0.0.wasm.yaml"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { gen: { use: generator, with: { count: 10 } } }
                processors: { tag: { use: c-tag, from: gen } }
                sinks: { out: { use: jsonl-file, from: tag, with: { path: out.jsonl } } }
                """);
        String[] validate = {
            "validate",
            p.toString(),
            "--plugins",
            plugins.toString(),
            "--require-signed",
            "--trusted-keys",
            trusted.toString()
        };

        Distribution.Cli refused = Distribution.cli(validate);
        assertThat(refused.exit()).as(refused.out()).isEqualTo(2);
        assertThat(refused.err())
                .contains(module.toAbsolutePath() + ": refused (plugins must be signed): c-tag-1.0.0.wasm is not signed"
                        + " (no c-tag-1.0.0.wasm.sig)");

        Distribution.Cli keygen = Distribution.cli("plugins", "keygen", "acme", "--dir", dir.toString());
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        Distribution.Cli sign = Distribution.cli(
                "plugins",
                "sign",
                module.toString(),
                "--key",
                dir.resolve("acme.key").toString());
        assertThat(sign.exit()).as(sign.err()).isZero();
        // signed, but by a key this engine does not trust yet
        Distribution.Cli unknown = Distribution.cli(validate);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("c-tag-1.0.0.wasm is signed by key ").contains("not in the trust store");

        Files.copy(dir.resolve("acme.pub"), trusted.resolve("acme.pub"));
        Distribution.Cli valid = Distribution.cli(validate);
        assertThat(valid.exit()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("c-tag");

        Distribution.Cli verify = Distribution.cli(
                "plugins", "verify", module.toString(), "--trusted-keys", trusted.toString(), "--require-signed");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("signed by acme");
    }
}
