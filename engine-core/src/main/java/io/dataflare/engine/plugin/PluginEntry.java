package io.dataflare.engine.plugin;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * What the registry knows about one plugin file: loaded, or why not.
 *
 * @param file         the file (null for a plugin registered in process)
 * @param language     the host's language
 * @param state        the state
 * @param plugin       the loaded plugin (set when {@link State#LOADED}, {@link State#STALE} or {@link State#RETIRED})
 * @param reason       why it is not usable, or what went wrong with a newer copy; for {@link State#LOADED}
 *                     null, or a note (a plugin without components)
 * @param declared     what the file declares, when it could be read (also for files that did not load)
 * @param dependencies the resolved dependencies as {@code id@version}, dependencies first
 */
public record PluginEntry(
        Path file,
        String language,
        State state,
        LoadedPlugin plugin,
        String reason,
        PluginManifest declared,
        List<String> dependencies) {
    /** The states of an entry. */
    public enum State {
        /** Loaded and resolvable. */
        LOADED,
        /** Its {@code requires:} range excludes this engine version. */
        INCOMPATIBLE,
        /** Its dependencies cannot be satisfied: the reason names the chain. */
        UNRESOLVED,
        /** Not loaded: see the reason (unreadable, bad manifest, checksum mismatch, failed to start). */
        FAILED,
        /** The same id and version was loaded from a later folder, which wins. */
        SHADOWED,
        /** The file changed and its new content did not load: the previous content keeps serving (see the reason). */
        STALE,
        /** The file was removed or replaced: no longer resolvable, kept alive for the pipelines still using it. */
        RETIRED
    }

    public PluginEntry {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    /** An entry with no declared manifest or dependencies of its own. */
    public PluginEntry(Path file, String language, State state, LoadedPlugin plugin, String reason) {
        this(file, language, state, plugin, reason, null, List.of());
    }

    /** The manifest: the loaded plugin's, else what the file declares, else null. */
    public PluginManifest manifest() {
        return plugin != null ? plugin.manifest() : declared;
    }

    /** Whether pipelines can resolve it ({@link State#LOADED} or {@link State#STALE}). */
    public boolean usable() {
        return state == State.LOADED || state == State.STALE;
    }

    /** The same entry in another state. */
    public PluginEntry with(State newState, String newReason) {
        return new PluginEntry(file, language, newState, plugin, newReason, declared, dependencies);
    }
}
