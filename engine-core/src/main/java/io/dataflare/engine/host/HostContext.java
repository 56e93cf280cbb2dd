package io.dataflare.engine.host;

import java.nio.file.Path;
import java.util.List;

/**
 * What the registry tells a host when it loads a plugin.
 *
 * @param engineVersion the engine version, for hosts that check compatibility themselves
 * @param dependencies  the plugin's dependencies as the registry resolved them (transitively, each
 *                      before its dependents); hosts that link code (Java) load them together with the
 *                      plugin, the others may ignore them
 */
public record HostContext(String engineVersion, List<Dependency> dependencies) {
    public HostContext {
        dependencies = List.copyOf(dependencies);
    }

    /** A context with no dependencies. */
    public HostContext(String engineVersion) {
        this(engineVersion, List.of());
    }

    /**
     * One resolved dependency.
     *
     * @param manifest what the dependency declares
     * @param file     its plugin file
     */
    public record Dependency(PluginManifest manifest, Path file) {}
}
