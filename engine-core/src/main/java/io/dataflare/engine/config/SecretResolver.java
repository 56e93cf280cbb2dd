package io.dataflare.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up {@code ${secret:name}} references. The default looks in the environment variable
 * {@code DATAFLARE_SECRET_<NAME>} (upper case, other characters as '_'), then in the file
 * {@code <secrets dir>/<name>} (one file per secret, as Docker and Kubernetes mount them), trailing
 * newline removed.
 */
@FunctionalInterface
public interface SecretResolver {
    /** The secret's value, or empty when it is not defined. */
    Optional<String> resolve(String name);

    /** No secrets. */
    static SecretResolver none() {
        return name -> Optional.empty();
    }

    /** Secrets from environment variables, then from files in {@code secretsDir} (may be null). */
    static SecretResolver standard(Map<String, String> env, Path secretsDir) {
        return name -> {
            String var = "DATAFLARE_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            String v = env.get(var);
            if (v != null) return Optional.of(v);
            if (secretsDir == null || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                return Optional.empty();
            }
            Path f = secretsDir.resolve(name);
            if (!Files.isRegularFile(f)) return Optional.empty();
            try {
                return Optional.of(Files.readString(f, StandardCharsets.UTF_8).stripTrailing());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read secret file " + f, e);
            }
        };
    }
}
