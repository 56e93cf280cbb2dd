package io.dataflare.engine.plugin;

import java.nio.file.Path;

/**
 * What the registry knows about one plugin file: loaded, or why not.
 *
 * @param file     the file (null for a plugin registered in process)
 * @param language the host's language
 * @param state    the state
 * @param plugin   the loaded plugin (null unless {@link State#LOADED} or {@link State#INCOMPATIBLE})
 * @param reason   why it is not usable (null when {@link State#LOADED})
 */
public record PluginEntry(Path file, String language, State state, LoadedPlugin plugin, String reason) {
    /** The states of an entry. */
    public enum State {
        /** Loaded and resolvable. */
        LOADED,
        /** Loaded, but its {@code requires:} range excludes this engine version. */
        INCOMPATIBLE,
        /** Not loaded: see the reason. */
        FAILED,
        /** The same id and version was loaded from a later folder, which wins. */
        SHADOWED
    }

    /** The manifest, or null when the file did not load. */
    public PluginManifest manifest() {
        return plugin == null ? null : plugin.manifest();
    }
}
