package io.dataflare.flink;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The JARs of this JVM's class path that a job ships to a session cluster as user JARs, so that its task managers
 * need only Flink installed: DataFlare's own classes and the third-party libraries they use (Jackson, SnakeYAML,
 * PF4J, Chicory, GraalVM...), minus what the cluster's class path already holds ({@link ClusterClassPath}) and
 * Flink itself. A library the cluster holds under another name (inside a fat {@code flink-dist} JAR that cannot be
 * read from here) travels too: Flink loads user JARs child-first, so DataFlare's code uses its own copy, while
 * Flink's classes and its parent-first packages (logging) still come from the cluster. A class folder (a build's
 * {@code target/classes}) is packed into a JAR; plugin JARs (they travel in the {@link PluginBundle}) and test
 * classes are left out.
 */
final class ShippedJars {
    private static final String DATAFLARE = "io/dataflare/";
    private static final String FLINK = "org/apache/flink/";

    private ShippedJars() {}

    /** The JARs to ship from this JVM's class path to a cluster holding {@code cluster}; folders packed into {@code into}. */
    static List<Path> forCluster(ClusterClassPath cluster, Path into) throws IOException {
        return forCluster(List.of(System.getProperty("java.class.path").split(File.pathSeparator)), cluster, into);
    }

    static List<Path> forCluster(List<String> classPath, ClusterClassPath cluster, Path into) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p) && Files.isDirectory(p.resolve(DATAFLARE)) && !p.endsWith("test-classes")) {
                jars.add(packFolder(p, into.resolve("dataflare-classes-" + jars.size() + ".jar")));
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && ships(p, cluster)) {
                jars.add(p);
            }
        }
        return jars;
    }

    private static boolean ships(Path jar, ClusterClassPath cluster) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            // a plugin JAR may bundle its own copies of libraries: on the job's class path they would shadow the
            // cluster's and DataFlare's (child-first class loading)
            if (f.getManifest() != null && f.getManifest().getMainAttributes().getValue("Plugin-Id") != null) {
                return false;
            }
            Set<String> classes = f.stream()
                    .map(e -> className(e.getName()))
                    .filter(n -> n != null)
                    .collect(Collectors.toSet());
            // Flink's own JARs: the cluster runs Flink (and loads its packages parent-first)
            if (classes.stream().anyMatch(c -> c.startsWith(FLINK))) return false;
            return !cluster.holds(jar, classes);
        }
    }

    /** The class an entry of a JAR holds ({@code a/b/C.class}, multi-release versions folded), else null. */
    static String className(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class")) return null;
        if (entry.startsWith("META-INF/versions/")) {
            int slash = entry.indexOf('/', "META-INF/versions/".length());
            return slash < 0 ? null : entry.substring(slash + 1);
        }
        return entry.startsWith("META-INF/") ? null : entry;
    }

    private static Path packFolder(Path dir, Path jar) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }
}
