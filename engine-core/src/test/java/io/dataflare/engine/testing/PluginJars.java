package io.dataflare.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes real PF4J plugin JARs in tests, from classes compiled with the tests. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * A plugin JAR holding {@code classes} (and their index as extensions), with a manifest of
     * {@code Plugin-Id}, {@code Plugin-Version} and the {@code extra} attributes.
     */
    public static Path write(Path jar, String id, String version, Map<String, String> extra, Class<?>... classes) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", version);
        extra.forEach(a::putValue);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(fo, mf)) {
            StringBuilder index = new StringBuilder();
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
                index.append(c.getName()).append('\n');
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write(index.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
