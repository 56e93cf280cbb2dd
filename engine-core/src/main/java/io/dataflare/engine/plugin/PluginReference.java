package io.dataflare.engine.plugin;

import io.dataflare.engine.version.VersionRange;
import java.util.Locale;

/**
 * What a pipeline's {@code use:} names: a plugin component by name and version range
 * ({@code csv-file}, {@code mask-pii@^1.2}) or a plugin file by path ({@code scripts/clean.js},
 * {@code ./my-plugin.jar}), resolved relative to the pipeline file.
 *
 * @param name  the component name, or the path for a path reference
 * @param range the version range (any for paths)
 * @param path  whether {@code name} is a path
 */
public record PluginReference(String name, VersionRange range, boolean path) {
    private static final String[] FILE_SUFFIXES = {".wasm", ".js", ".mjs", ".py", ".jar"};

    /**
     * Parses a {@code use:} value.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PluginReference parse(String use) {
        String u = use == null ? "" : use.trim();
        if (u.isEmpty()) throw new IllegalArgumentException("names no plugin");
        if (looksLikePath(u)) return new PluginReference(u, VersionRange.any(), true);
        int at = u.indexOf('@');
        String name = at < 0 ? u : u.substring(0, at).trim();
        String range = at < 0 ? "" : u.substring(at + 1).trim();
        if (!name.matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a plugin name (lower-case letters, digits, '-', '_', '.')");
        }
        if (at >= 0 && range.isEmpty())
            throw new IllegalArgumentException("'" + u + "' has an empty version range after '@'");
        return new PluginReference(name, VersionRange.parse(range), false);
    }

    /** Whether a {@code use:} value is a path: it contains a slash or ends with a plugin file suffix. */
    public static boolean looksLikePath(String use) {
        if (use.contains("/") || use.contains("\\")) return true;
        String l = use.toLowerCase(Locale.ROOT);
        for (String s : FILE_SUFFIXES) {
            if (l.endsWith(s)) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return path || range.isAny() ? name : name + "@" + range;
    }
}
