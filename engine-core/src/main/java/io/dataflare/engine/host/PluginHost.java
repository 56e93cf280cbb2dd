package io.dataflare.engine.host;

import java.nio.file.Path;

/**
 * Loads one kind of plugin file. Hosts are found with {@link java.util.ServiceLoader} (register the
 * class in {@code META-INF/services/io.dataflare.engine.host.PluginHost}), so the engine never
 * depends on a host's runtime (Chicory, GraalVM): leave a host's JAR out and its plugins are simply
 * not loaded. The system property {@code dataflare.plugin.hosts} may name the host classes instead (the CLI
 * does, sparing the JVM ServiceLoader's search of every JAR). (Not called PluginLoader, so that it does not
 * clash with {@code org.pf4j.PluginLoader}.)
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

    /**
     * Reads what the plugin in {@code file} declares (id, version, {@code requires}, dependencies)
     * without preparing its components, so the registry can resolve dependencies before it loads
     * anything. The default loads the plugin and closes it again; hosts override it with something
     * cheaper (the Java host reads only the JAR's manifest).
     *
     * @throws PluginLoadException saying why the file is not a usable plugin
     */
    default PluginManifest describe(Path file, HostContext context) throws PluginLoadException {
        try (LoadedPlugin p = load(file, context)) {
            return p.manifest();
        } catch (PluginLoadException e) {
            throw e;
        } catch (Exception e) {
            throw new PluginLoadException("could not release after reading its manifest: " + e.getMessage(), e);
        }
    }

    /** Releases what the host shares between plugins (engines, caches). */
    @Override
    default void close() throws Exception {}
}
