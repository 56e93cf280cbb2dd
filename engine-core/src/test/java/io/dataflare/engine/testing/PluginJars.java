package io.dataflare.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes real PF4J plugin JARs in tests, from classes compiled with the tests. */
public final class PluginJars {
    private PluginJars() {}

    /**
     * A plugin JAR holding {@code classes} (and their index as extensions), with a manifest of
     * {@code Plugin-Id}, {@code Plugin-Version} and the {@code extra} attributes.
     */
    public static Path write(Path jar, String id, String version, Map<String, String> extra, Class<?>... classes)
            throws IOException {
        Spec s = spec(id, version);
        extra.forEach(s::attribute);
        for (Class<?> c : classes) s.extension(c);
        return s.write(jar);
    }

    /** A JAR to describe step by step. */
    public static Spec spec(String id, String version) {
        return new Spec(id, version);
    }

    /** What goes into a plugin JAR. */
    public static final class Spec {
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<Class<?>> extensions = new ArrayList<>();
        private final List<Class<?>> classes = new ArrayList<>();
        private final Map<String, String> resources = new LinkedHashMap<>();

        private Spec(String id, String version) {
            attributes.put("Plugin-Id", id);
            attributes.put("Plugin-Version", version);
        }

        /** A manifest attribute ({@code Plugin-Dependencies}, {@code Plugin-Requires}...). */
        public Spec attribute(String name, String value) {
            attributes.put(name, value);
            return this;
        }

        /** A class listed in {@code META-INF/extensions.idx}. */
        public Spec extension(Class<?> c) {
            extensions.add(c);
            return this;
        }

        /** A plain class (a library the plugin or its dependents use). */
        public Spec library(Class<?> c) {
            classes.add(c);
            return this;
        }

        /** A text resource. */
        public Spec resource(String name, String text) {
            resources.put(name, text);
            return this;
        }

        /** Writes the JAR to a temporary file beside {@code jar}, then moves it in place atomically. */
        public Path write(Path jar) throws IOException {
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            attributes.forEach(a::putValue);
            Path dir = jar.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".writing-", ".tmp");
            try (OutputStream fo = Files.newOutputStream(tmp);
                    JarOutputStream out = new JarOutputStream(fo, mf)) {
                StringBuilder index = new StringBuilder();
                for (Class<?> c : extensions) {
                    copyClass(c, out);
                    index.append(c.getName()).append('\n');
                }
                for (Class<?> c : classes) copyClass(c, out);
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                out.write(index.toString().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                for (Map.Entry<String, String> r : resources.entrySet()) {
                    out.putNextEntry(new JarEntry(r.getKey()));
                    out.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        private static void copyClass(Class<?> c, JarOutputStream out) throws IOException {
            String entry = c.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(entry));
            try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
    }
}
