package io.dataflare.cli;

import io.dataflare.engine.Engine;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins} option and the default plugin folders: the distribution's built-in
 * plugins, then {@code ./plugins} if present, then each {@code --plugins DIR}.
 */
public final class PluginFolders {
    /** The system property listing the plugin folders in scan order, separated by the path separator. */
    public static final String PLUGIN_FOLDERS_PROPERTY = "dataflare.plugin.path";

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "An extra plugin folder (repeatable; later folders win).")
    List<Path> extra = new ArrayList<>();

    /** The folders in scan order. */
    public List<Path> folders() {
        List<Path> out = new ArrayList<>();
        Path home = home();
        if (home != null && Files.isDirectory(home.resolve("plugins"))) out.add(home.resolve("plugins"));
        Path local = Path.of("plugins");
        if (Files.isDirectory(local)) out.add(local);
        out.addAll(extra);
        return out;
    }

    /** An engine over these folders. */
    public Engine engine() {
        return engine(false);
    }

    /** An engine over these folders, watching them for plugin files added, replaced or removed when {@code watch}. */
    public Engine engine(boolean watch) {
        Engine.Builder b = Engine.builder();
        List<Path> folders = folders();
        for (Path p : folders) b.pluginDirectory(p);
        // Plugins that load files of their own from the plugin folders (the kafka-connect adapter's connector
        // folders, <folder>/connect/<connector>/) find them here: a plugin's context does not name the folders.
        System.setProperty(
                PLUGIN_FOLDERS_PROPERTY,
                folders.stream()
                        .map(p -> p.toAbsolutePath().normalize().toString())
                        .collect(Collectors.joining(File.pathSeparator)));
        if (watch) b.watchPlugins();
        return b.build();
    }

    /**
     * The distribution's home: {@code -Ddataflare.home}, else {@code DATAFLARE_HOME}, else the folder
     * above the {@code lib/} this class was loaded from.
     */
    static Path home() {
        String p = System.getProperty("dataflare.home");
        if (p == null || p.isBlank()) p = System.getenv("DATAFLARE_HOME");
        if (p != null && !p.isBlank()) return Path.of(p);
        try {
            Path jar = Path.of(PluginFolders.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path lib = jar.getParent();
            if (lib != null
                    && lib.getFileName() != null
                    && lib.getFileName().toString().equals("lib")) return lib.getParent();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: no home
        }
        return null;
    }
}
