package io.dataflare.engine.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Something changed in the registry or in a running pipeline because of it. Subscribe with
 * {@link PluginRegistry#addListener}.
 *
 * @param kind     what happened
 * @param plugin   the plugin as {@code id@version} (null when the file did not load)
 * @param file     the plugin file (null for pipeline events)
 * @param detail   why (failures), or what (the version switched from, the pause)
 * @param pipeline the pipeline, for {@link Kind#SWITCHED} and {@link Kind#SWITCH_REJECTED}
 * @param stage    the stage, likewise
 * @param at       when
 * @param pause    for {@link Kind#SWITCHED}: how long the switch held the stage (a processor: its longest worker
 *                 pause; a source, sink or policy: the whole pipeline's pause at the barrier); else null
 */
public record PluginEvent(
        Kind kind, String plugin, Path file, String detail, String pipeline, String stage, Instant at, Duration pause) {
    /** What happened. */
    public enum Kind {
        /** A plugin file loaded (a new file, or a version that became resolvable). */
        LOADED,
        /** A file's plugin was loaded again: new content, or its dependencies resolved differently. */
        REPLACED,
        /** A plugin file was removed: pipelines using it keep it until they stop. */
        REMOVED,
        /** A file did not load, or its new content did not (then the previous content keeps serving). */
        FAILED,
        /** A plugin's dependencies cannot be satisfied. */
        UNRESOLVED,
        /** A plugin's engine range excludes this engine. */
        INCOMPATIBLE,
        /**
         * A running pipeline's stage switched to another plugin version: a processor at a batch boundary, a
         * source, sink or policy at a barrier.
         */
        SWITCHED,
        /**
         * A newer version could not be used by a running stage (config rejected, instance failed, a source that
         * cannot seek to the old one's position, a sink that cannot take over its output): the old one keeps
         * serving.
         */
        SWITCH_REJECTED
    }

    /** A registry event about a file. */
    public static PluginEvent file(Kind kind, String plugin, Path file, String detail) {
        return new PluginEvent(kind, plugin, file, detail, null, null, Instant.now(), null);
    }

    /** An event about a pipeline stage. */
    public static PluginEvent stage(Kind kind, String plugin, String pipeline, String stage, String detail) {
        return new PluginEvent(kind, plugin, null, detail, pipeline, stage, Instant.now(), null);
    }

    /** A stage of a pipeline switched to {@code plugin}, holding it for {@code pause}. */
    public static PluginEvent switched(String plugin, String pipeline, String stage, String detail, Duration pause) {
        return new PluginEvent(Kind.SWITCHED, plugin, null, detail, pipeline, stage, Instant.now(), pause);
    }

    @Override
    public String toString() {
        String where = pipeline != null ? " " + pipeline + "/" + stage : file != null ? " " + file.getFileName() : "";
        return kind + (plugin == null ? "" : " " + plugin) + where + (detail == null ? "" : ": " + detail);
    }
}
