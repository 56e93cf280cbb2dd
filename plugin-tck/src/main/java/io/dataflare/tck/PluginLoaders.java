package io.dataflare.tck;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.host.java.JavaPluginHost;
import io.dataflare.engine.version.EngineVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Ways to get the {@link LoadedPlugin} a {@link PluginContractTest} checks: a built plugin file through
 * its host ({@link #file(Path)} for any language whose host is on the test class path, {@link #javaJar(Path)},
 * or {@link #load(PluginHost, Path)} with a host of your own), or factories built in process for quick unit
 * tests.
 */
public final class PluginLoaders {
    private PluginLoaders() {}

    /** A plugin JAR, loaded by the engine's Java host exactly as the registry would (own class loader). */
    public static LoadedPlugin javaJar(Path jar) throws PluginLoadException {
        return load(new JavaPluginHost(), jar);
    }

    /**
     * A plugin file of any language, loaded by the host that handles it among those on the class path, found
     * with {@link ServiceLoader} as the engine finds them (add {@code wasm-host} or {@code polyglot-host} as a
     * test dependency for {@code .wasm}, {@code .js}, {@code .mjs} and {@code .py} files). The host serves
     * this plugin alone and is closed with it.
     */
    public static LoadedPlugin file(Path file) throws PluginLoadException {
        PluginHost chosen = null;
        List<String> languages = new ArrayList<>();
        for (PluginHost h : ServiceLoader.load(PluginHost.class, PluginLoaders.class.getClassLoader())) {
            languages.add(h.language());
            if (chosen == null && h.handles(file)) chosen = h;
            else closeQuietly(h);
        }
        if (chosen == null) {
            throw new PluginLoadException("no plugin host on the class path handles " + file.getFileName() + " (hosts: "
                    + String.join(", ", languages) + ")");
        }
        PluginHost host = chosen;
        LoadedPlugin p;
        try {
            p = load(host, file);
        } catch (PluginLoadException | RuntimeException e) {
            closeQuietly(host);
            throw e;
        }
        return new LoadedPlugin(p.manifest(), p.file(), p.components(), () -> {
            try {
                p.close();
            } finally {
                host.close();
            }
        });
    }

    /** A plugin file loaded by {@code host} (which stays open: close it after the plugin). */
    public static LoadedPlugin load(PluginHost host, Path file) throws PluginLoadException {
        return host.load(file, new HostContext(EngineVersion.current()));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // an unused host: nothing of it was started
        }
    }

    /** Factories from the test's class path, as plugin {@code id@version} (Java): for unit tests before the JAR exists. */
    public static LoadedPlugin inProcess(String id, String version, PluginFactory<?>... factories) {
        Set<String> kinds = new LinkedHashSet<>();
        for (PluginFactory<?> f : factories) kinds.add(f.kind().manifestKind());
        PluginManifest m = PluginManifest.builder(id, version, "java")
                .kinds(List.copyOf(kinds))
                .build();
        return new LoadedPlugin(m, null, List.of(factories), null);
    }
}
