package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where connectors live, laid out as Kafka Connect's {@code plugin.path}: a root folder with a sub-folder of
 * JARs per connector. The roots are {@code with.plugin_path} when set, otherwise the {@code connect} folder of
 * every DataFlare plugin folder: the ones the CLI lists in the system property {@value #PLUGIN_FOLDERS_PROPERTY}
 * (the distribution's, {@code ./plugins}, each {@code --plugins DIR}), and the folder this adapter's JAR is in.
 */
final class ConnectorFolders {
    /** The DataFlare plugin folders, separated by the platform's path separator; the CLI sets it. */
    static final String PLUGIN_FOLDERS_PROPERTY = "dataflare.plugin.path";

    /** The sub-folder of a DataFlare plugin folder that holds the connector folders. */
    static final String CONNECT_FOLDER = "connect";

    // one loader per connector folder for the adapter's lifetime: every stage using a connector shares its classes
    private static final Map<Path, ConnectorClassLoader> LOADERS = new ConcurrentHashMap<>();

    private ConnectorFolders() {}

    /** The root folders to search, in order. */
    static List<Path> roots(PluginContext ctx) {
        Set<Path> roots = new LinkedHashSet<>();
        if (ctx.config().has("plugin_path")) {
            for (String p : pluginPath(ctx.config().get("plugin_path"))) {
                roots.add(ctx.resolvePath(p).toAbsolutePath().normalize());
            }
            return List.copyOf(roots);
        }
        String listed = System.getProperty(PLUGIN_FOLDERS_PROPERTY, "");
        for (String p : listed.split(File.pathSeparator)) {
            if (!p.isBlank())
                roots.add(Path.of(p).resolve(CONNECT_FOLDER).toAbsolutePath().normalize());
        }
        Path own = adapterFolder();
        if (own != null) roots.add(own.resolve(CONNECT_FOLDER).toAbsolutePath().normalize());
        return List.copyOf(roots);
    }

    static List<String> pluginPath(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> l) {
            for (Object o : l) out.add(String.valueOf(o));
        } else if (raw != null) {
            for (String p : String.valueOf(raw).split(",")) {
                if (!p.isBlank()) out.add(p.trim());
            }
        }
        return out;
    }

    private static Path adapterFolder() {
        try {
            var source = ConnectorFolders.class.getProtectionDomain().getCodeSource();
            if (source == null) return null;
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) ? jar.getParent() : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The connector folders under {@code roots}: each sub-folder holding at least one JAR. */
    static List<Path> connectorFolders(List<Path> roots) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> s = Files.list(root)) {
                s.filter(Files::isDirectory)
                        .sorted()
                        .filter(ConnectorFolders::hasJars)
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list connector folder " + root, e);
            }
        }
        return out;
    }

    private static boolean hasJars(Path folder) {
        return !jars(folder).isEmpty();
    }

    private static List<URL> jars(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<URL> out = new ArrayList<>();
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList()) {
                out.add(p.toUri().toURL());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list connector folder " + folder, e);
        }
    }

    /**
     * The loader of the connector folder holding {@code className}.
     *
     * @throws ConfigException on {@code connector_class}, listing the folders looked at, when none holds it
     */
    static ConnectorClassLoader locate(String component, String className, List<Path> roots) {
        List<Path> folders = connectorFolders(roots);
        for (Path folder : folders) {
            ConnectorClassLoader loader = LOADERS.computeIfAbsent(folder, ConnectorFolders::newLoader);
            if (loader.holds(className)) return loader;
        }
        String looked = folders.isEmpty()
                ? "no connector folder found: each connector needs a sub-folder of JARs in one of " + roots
                : "looked in " + folders;
        throw new ConfigException(
                "connector_class", component + ": class \"" + className + "\" is in no connector folder; " + looked);
    }

    private static ConnectorClassLoader newLoader(Path folder) {
        return new ConnectorClassLoader(folder, jars(folder), ConnectorFolders.class.getClassLoader());
    }
}
