package io.dataflare.tck;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.EngineVersion;
import io.dataflare.engine.plugin.HostContext;
import io.dataflare.engine.plugin.LoadedPlugin;
import io.dataflare.engine.plugin.PluginHost;
import io.dataflare.engine.plugin.PluginLoadException;
import io.dataflare.engine.plugin.PluginManifest;
import io.dataflare.engine.plugin.java.JavaPluginHost;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ways to get the {@link LoadedPlugin} a {@link PluginContractTest} checks: a built plugin file through
 * its host (the Java host here; the WASM and script hosts' kits pass their own host to
 * {@link #load(PluginHost, Path)}), or factories built in process for quick unit tests.
 */
public final class PluginLoaders {
    private PluginLoaders() {
    }

    /** A plugin JAR, loaded by the engine's Java host exactly as the registry would (own class loader). */
    public static LoadedPlugin javaJar(Path jar) throws PluginLoadException {
        return load(new JavaPluginHost(), jar);
    }

    /** A plugin file loaded by {@code host}. */
    public static LoadedPlugin load(PluginHost host, Path file) throws PluginLoadException {
        return host.load(file, new HostContext(EngineVersion.current()));
    }

    /** Factories from the test's class path, as plugin {@code id@version} (Java): for unit tests before the JAR exists. */
    public static LoadedPlugin inProcess(String id, String version, PluginFactory<?>... factories) {
        Set<String> kinds = new LinkedHashSet<>();
        for (PluginFactory<?> f : factories) kinds.add(f.kind().manifestKind());
        PluginManifest m = PluginManifest.builder(id, version, "java").kinds(List.copyOf(kinds)).build();
        return new LoadedPlugin(m, null, List.of(factories), null);
    }
}
