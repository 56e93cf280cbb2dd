package io.dataflare.engine.plugin;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The registry's record of one plugin file across scans: what it declared when last read, and the
 * plugin currently loaded from it. A file is read again only when its fingerprint (size and modification
 * time of the file and of its sidecars, such as {@code .sha256} or {@code .wasm.yaml}) changes.
 */
final class PluginFile {
    final Path file;
    final PluginHost host;
    String fingerprint;
    /** What the current content declares, or null when it could not be read. */
    PluginManifest declared;
    /** Why the current content cannot be used (unreadable, bad manifest, checksum), or null. */
    String failure;
    /** The plugin serving this file, or null. */
    LoadedPlugin loaded;
    /** The fingerprint of the content {@link #loaded} was loaded from. */
    String loadedFingerprint;
    /** The files and fingerprints {@link #loaded} was linked with (itself and its dependencies). */
    String loadedBinding;

    List<String> loadedDependencies = List.of();
    PluginEntry entry;

    PluginFile(Path file, PluginHost host) {
        this.file = file;
        this.host = host;
    }

    /** Whether the content changed since {@link #loaded} was loaded from it. */
    boolean contentChanged() {
        return loaded != null && !fingerprint.equals(loadedFingerprint);
    }

    /** Size and modification time of the file and its sidecars ({@code name.*}); "gone" when unreadable. */
    static String fingerprint(Path file, List<Path> sidecars) {
        StringBuilder sb = new StringBuilder();
        stamp(file, sb);
        for (Path s : sidecars) stamp(s, sb.append('|').append(s.getFileName()).append('='));
        return sb.toString();
    }

    private static void stamp(Path p, StringBuilder sb) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            sb.append(a.size())
                    .append('@')
                    .append(a.lastModifiedTime().toMillis())
                    .append('.')
                    .append(a.lastModifiedTime().toInstant().getNano());
        } catch (IOException e) {
            sb.append("gone");
        }
    }
}
