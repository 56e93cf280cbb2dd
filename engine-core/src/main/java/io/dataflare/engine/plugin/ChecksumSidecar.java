package io.dataflare.engine.plugin;

import io.dataflare.engine.host.Checksums;
import io.dataflare.engine.host.PluginLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks a plugin file against its {@code .sha256} sidecar ({@code plugin.jar.sha256} beside
 * {@code plugin.jar}), in {@code sha256sum} format: the hex digest, optionally followed by the file name.
 */
public final class ChecksumSidecar {
    private ChecksumSidecar() {}

    /** The sidecar of {@code file}. */
    public static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    /**
     * Verifies {@code file} when it has a sidecar.
     *
     * @return the file's SHA-256 when a sidecar confirmed it, null when there is no sidecar
     * @throws PluginLoadException when the sidecar is unreadable or does not match
     */
    public static String verify(Path file) throws PluginLoadException {
        Path sidecar = of(file);
        if (!Files.isRegularFile(sidecar)) return null;
        String expected;
        try {
            String text = Files.readString(sidecar).strip();
            expected = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read " + sidecar.getFileName() + ": " + e.getMessage(), e);
        }
        if (!expected.matches("[0-9a-f]{64}")) {
            throw new PluginLoadException(sidecar.getFileName() + " does not hold a SHA-256 (64 hex digits)");
        }
        String actual;
        try {
            actual = Checksums.sha256(file);
        } catch (IOException e) {
            throw new PluginLoadException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        if (!actual.equals(expected)) {
            throw new PluginLoadException("checksum mismatch: the file's SHA-256 is " + actual + ", "
                    + sidecar.getFileName() + " says " + expected);
        }
        return actual;
    }

    /** Writes the sidecar of {@code file} (used by {@code plugins install}). */
    public static Path write(Path file) throws IOException {
        return Files.writeString(of(file), Checksums.sha256(file) + "  " + file.getFileName() + "\n");
    }
}
