package io.dataflare.cli;

import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.sign.PluginTrust;
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
 * plugins, then {@code ./plugins} if present, then each {@code --plugins DIR}; and whether plugin files must be
 * signed ({@code --require-signed}) by a key in the trusted keys folders ({@code <home>/trusted-keys},
 * {@code --trusted-keys DIR}).
 */
public final class PluginFolders {
    /** The system property listing the plugin folders in scan order, separated by the path separator. */
    public static final String PLUGIN_FOLDERS_PROPERTY = "dataflare.plugin.path";

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "An extra plugin folder (repeatable; later folders win).")
    List<Path> extra = new ArrayList<>();

    @Option(
            names = "--require-signed",
            description =
                    "Load only plugin files signed by a trusted publisher (a .sig beside the file, made with"
                            + " 'plugins sign'): an unsigned or badly signed JAR, WASM module or script is refused, naming the file.")
    boolean requireSigned;

    @Option(
            names = "--trusted-keys",
            paramLabel = "DIR",
            description = "A folder of trusted publishers' public keys (NAME.pub; repeatable), besides"
                    + " <dataflare home>/trusted-keys.")
    List<Path> trustedKeys = new ArrayList<>();

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

    /** Whether {@code --require-signed} was given. */
    public boolean requireSigned() {
        return requireSigned;
    }

    /** The trusted keys folders: the distribution's {@code trusted-keys/}, then each {@code --trusted-keys DIR}. */
    public List<Path> trustedKeyDirs() {
        List<Path> out = new ArrayList<>();
        Path home = home();
        if (home != null) out.add(home.resolve("trusted-keys"));
        out.addAll(trustedKeys);
        return out;
    }

    /** Whether plugin files must be signed, and by whom (the distribution's own plugins need no signature). */
    public PluginTrust trust() {
        return trust(requireSigned, List.of());
    }

    /**
     * As {@link #trust()}, required also when {@code require} and with the keys of {@code moreKeyDirs} as well
     * (the server's config file).
     */
    public PluginTrust trust(boolean require, List<Path> moreKeyDirs) {
        List<Path> keys = new ArrayList<>(trustedKeyDirs());
        keys.addAll(moreKeyDirs);
        Path home = home();
        return new PluginTrust(
                requireSigned || require, keys, home == null ? List.of() : List.of(home.resolve("plugins")));
    }

    /** An engine over these folders. */
    public Engine engine() {
        return engine(false);
    }

    /** An engine over these folders, watching them for plugin files added, replaced or removed when {@code watch}. */
    public Engine engine(boolean watch) {
        return engine(watch, false);
    }

    /**
     * An engine for a command that validates or runs a pipeline: in the daemon, over the registry its earlier
     * commands used (their plugins' classes and compiled code kept, see {@link SharedPluginRegistries}), unless
     * {@code watch}.
     */
    public Engine pipelineEngine(boolean watch) {
        return engine(watch, !watch);
    }

    private Engine engine(boolean watch, boolean shareable) {
        Engine.Builder b = Engine.builder();
        List<Path> folders = folders();
        PluginTrust trust = trust();
        PluginRegistry shared = shareable ? SharedPluginRegistries.get(folders, trustedKeyDirs(), trust) : null;
        if (shared != null) {
            b.sharedRegistry(shared);
        } else {
            for (Path p : folders) b.pluginDirectory(p);
            b.registry(r -> r.trust(trust));
        }
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
