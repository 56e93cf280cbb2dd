package io.dataflare.plugins.kafkaconnect;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Connector folders for tests: the real connectors the build laid out, and JARs packed from test classes. */
final class ConnectorFolderFixture {
    private ConnectorFolderFixture() {}

    /** The folder holding file-stream/ and debezium-postgres/ (see the kafka-connect-test-connectors module). */
    static Path realConnectors() {
        Path p = Path.of(
                System.getProperty("connect.test.connectors", "../kafka-connect-test-connectors/target/connect"));
        if (!Files.isDirectory(p.resolve("file-stream"))) {
            throw new IllegalStateException("the test connectors are not laid out in " + p.toAbsolutePath()
                    + ": build with -am (module kafka-connect-test-connectors)");
        }
        return p;
    }

    /** Copies one real connector folder into {@code root}, as a user drops it into plugins/connect. */
    static void copyConnector(String name, Path root) throws IOException {
        Path from = realConnectors().resolve(name);
        Path to = Files.createDirectories(root.resolve(name));
        try (Stream<Path> s = Files.list(from)) {
            for (Path jar : s.toList()) Files.copy(jar, to.resolve(jar.getFileName()));
        }
    }

    /** Packs the compiled test classes of {@code classes} (and their nested classes) into {@code root/name/name.jar}. */
    static void packConnector(Path root, String name, Class<?>... classes) throws IOException {
        Path folder = Files.createDirectories(root.resolve(name));
        try (OutputStream out = Files.newOutputStream(folder.resolve(name + ".jar"));
                JarOutputStream jar = new JarOutputStream(out)) {
            for (Class<?> c : classes) {
                Path file = Path.of(c.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .getPath())
                        .resolve(c.getName().replace('.', '/') + ".class");
                String prefix = file.getFileName().toString().replace(".class", "");
                try (Stream<Path> s = Files.list(file.getParent())) {
                    for (Path f : s.filter(p -> p.getFileName().toString().equals(prefix + ".class")
                                    || p.getFileName().toString().startsWith(prefix + "$"))
                            .toList()) {
                        String entry = c.getPackageName().replace('.', '/') + "/" + f.getFileName();
                        jar.putNextEntry(new JarEntry(entry));
                        try (InputStream in = Files.newInputStream(f)) {
                            in.transferTo(jar);
                        }
                        jar.closeEntry();
                    }
                }
            }
        }
    }
}
