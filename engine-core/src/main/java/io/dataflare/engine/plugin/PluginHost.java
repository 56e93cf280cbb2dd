package io.dataflare.engine.plugin;

import java.nio.file.Path;

/**
 * Loads one kind of plugin file. Hosts are found with {@link java.util.ServiceLoader} (register the
 * class in {@code META-INF/services/io.dataflare.engine.plugin.PluginHost}), so the engine never
 * depends on a host's runtime (Chicory, GraalVM): leave a host's JAR out and its plugins are simply
 * not loaded. (The issues call this "the PluginLoader SPI"; it is named {@code PluginHost} so that it
 * does not clash with {@code org.pf4j.PluginLoader}.)
 */
public interface PluginHost extends AutoCloseable {
    /** The language of the plugins it loads: {@code java}, {@code wasm}, {@code javascript}, {@code python}. */
    String language();

    /** Whether the file is one of this host's (usually by extension). */
    boolean handles(Path file);

    /**
     * Loads the plugin in {@code file}: reads and checks its manifest, prepares its components.
     *
     * @throws PluginLoadException saying why the file is not a usable plugin
     */
    LoadedPlugin load(Path file, HostContext context) throws PluginLoadException;

    /** Releases what the host shares between plugins (engines, caches). */
    @Override
    default void close() throws Exception {
    }
}
