package io.dataflare.cli;

import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.sign.PluginTrust;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin registries the daemon's {@code run}, {@code replay} and {@code validate} commands use, kept from one
 * command to the next. A registry of its own per command loads every plugin's classes anew, so the JIT compiles their hot code
 * (the CSV decoder, the JSON-lines encoder...) again in every run: a 1,000,000-row run handed to a warm daemon ran
 * at a fresh JVM's speed. Each command's engine rescans its registry (as {@code --watch-plugins} does), so plugin
 * files added, replaced or removed since the last command are picked up. Only registries without required
 * signatures are kept (a trust store reads its keys once); at most {@link #MAX} of them, the least recently used
 * closed first. Off unless {@link #enable()} was called (the daemon does); the daemon runs one command at a time,
 * so a registry is never closed under a run.
 */
final class SharedPluginRegistries {
    static final int MAX = 4;

    private static boolean enabled;
    private static final Map<Key, PluginRegistry> REGISTRIES = new LinkedHashMap<>(8, 0.75f, true);

    private record Key(List<Path> folders, List<Path> trustedKeyDirs) {}

    private SharedPluginRegistries() {}

    /** Keeps registries from now on (the daemon, at start). */
    static synchronized void enable() {
        enabled = true;
    }

    /** Closes the kept registries and keeps none any more. */
    static synchronized void disable() {
        enabled = false;
        for (PluginRegistry r : REGISTRIES.values()) r.close();
        REGISTRIES.clear();
    }

    /**
     * The kept registry over {@code folders} with {@code trust}, made on first use; null when none is kept (not in
     * the daemon, or signatures required): the caller then builds one of its own.
     */
    static synchronized PluginRegistry get(List<Path> folders, List<Path> trustedKeyDirs, PluginTrust trust) {
        if (!enabled || trust.requireSigned()) return null;
        Key key = new Key(normalized(folders), normalized(trustedKeyDirs));
        PluginRegistry r = REGISTRIES.get(key);
        if (r != null) return r;
        PluginRegistry.Builder b = PluginRegistry.builder().discoverHosts().trust(trust);
        for (Path f : key.folders()) b.addDirectory(f);
        r = b.build();
        REGISTRIES.put(key, r);
        for (Iterator<PluginRegistry> it = REGISTRIES.values().iterator(); REGISTRIES.size() > MAX; ) {
            it.next().close();
            it.remove();
        }
        return r;
    }

    private static List<Path> normalized(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
