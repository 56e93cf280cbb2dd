package io.dataflare.wasm;

import io.dataflare.api.ComponentKind;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.module.ModuleCache;
import io.dataflare.wasm.module.ModuleLoader;
import io.dataflare.wasm.module.PolicyExports;
import io.dataflare.wasm.sandbox.Watchdog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code .wasm} plugins with Chicory: DataFlare-ABI modules (ABI.md) and Extism plugins. Modules
 * are compiled to JVM bytecode once per content hash and shared by every plugin instance; each
 * instance runs sandboxed (granted imports only, capped memory, per-call time limit). Found by the
 * engine through {@link java.util.ServiceLoader}.
 *
 * <p>The optional on-disk bytecode cache is enabled with the system property
 * {@value #CACHE_DIR_PROPERTY} (a folder only this user can write).
 */
public final class WasmPluginHost implements PluginHost {
    /** System property naming the on-disk compile cache folder. */
    public static final String CACHE_DIR_PROPERTY = "dataflare.wasm.cache-dir";

    private static final Logger LOG = LoggerFactory.getLogger(WasmPluginHost.class);

    private final ModuleCache cache;
    private final Watchdog watchdog = new Watchdog();
    private final ModuleLoader loader;

    /** The host as the engine creates it (disk cache per {@value #CACHE_DIR_PROPERTY}). */
    public WasmPluginHost() {
        this(System.getProperty(CACHE_DIR_PROPERTY) == null ? null : Path.of(System.getProperty(CACHE_DIR_PROPERTY)));
    }

    /** A host with the disk cache in {@code cacheDir} (null for none). */
    public WasmPluginHost(Path cacheDir) {
        this.cache = new ModuleCache(cacheDir);
        this.loader = new ModuleLoader(cache, watchdog);
    }

    @Override
    public String language() {
        return "wasm";
    }

    @Override
    public boolean handles(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wasm");
    }

    @Override
    public LoadedPlugin load(Path file, HostContext context) throws PluginLoadException {
        LoadedModule module = loader.load(file);
        List<WasmComponentFactory> factories = new ArrayList<>();
        try {
            if (module.manifest().manifest().kinds().contains("policy")) {
                for (ComponentKind k : PolicyExports.of(module.module()).values())
                    factories.add(new WasmComponentFactory(module, k));
            } else {
                factories.add(new WasmComponentFactory(module, module.manifest().kind()));
            }
            LinkCheck.check(module);
        } catch (PluginLoadException | RuntimeException e) {
            loader.release(module);
            throw new PluginLoadException(module.label() + ": " + e.getMessage(), e);
        }
        LOG.debug(
                "loaded {} from {}: {}", module.label(), file, factories.get(0).description());
        return new LoadedPlugin(
                module.manifest().manifest(), file, List.copyOf(factories), () -> loader.release(module));
    }

    /**
     * Reads only the manifest (the sidecar, else the module's {@code dataflare.manifest} section): the module
     * is not parsed, compiled or instantiated. The registry calls this on every scan that sees the file changed.
     */
    @Override
    public PluginManifest describe(Path file, HostContext context) throws PluginLoadException {
        return loader.describe(file).manifest();
    }

    /** The shared module cache (tests, tools). */
    public ModuleCache cache() {
        return cache;
    }

    @Override
    public void close() {
        watchdog.close();
        cache.close();
    }
}
