package io.dataflare.flink;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * DataFlare's own classes on this JVM's class path, as JARs to ship as a job's user JARs: a session cluster's task
 * managers then need only Flink (and the third-party libraries DataFlare uses) installed. A class folder (a build's
 * {@code target/classes}) is packed into a JAR in {@code into}; plugin JARs and test classes are left out.
 */
final class DataFlareJars {
    private static final String PACKAGE = "io/dataflare/";

    private DataFlareJars() {}

    static List<Path> onClassPath(Path into) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p) && Files.isDirectory(p.resolve(PACKAGE)) && !p.endsWith("test-classes")) {
                jars.add(packFolder(p, into.resolve("dataflare-classes-" + jars.size() + ".jar")));
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && holdsDataFlare(p)) {
                jars.add(p);
            }
        }
        return jars;
    }

    /** A JAR of DataFlare's classes that is not a plugin (plugins travel in the job's {@link PluginBundle}). */
    private static boolean holdsDataFlare(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            // a plugin JAR may bundle its own copies of libraries: on the job's class path they would shadow the
            // cluster's and DataFlare's (child-first class loading)
            if (f.getManifest() != null && f.getManifest().getMainAttributes().getValue("Plugin-Id") != null) {
                return false;
            }
            return f.stream().anyMatch(e -> e.getName().startsWith(PACKAGE));
        }
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
