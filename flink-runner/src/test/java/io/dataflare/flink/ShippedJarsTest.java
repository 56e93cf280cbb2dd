package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedJarsTest {
    @TempDir
    Path dir;

    @Test
    void shipsDataFlareAndTheLibrariesTheClusterLacks() throws IOException {
        Path engine = jar("engine-core-1.0.jar", null, "io/dataflare/engine/Engine.class");
        Path jackson = jar("jackson-databind-2.23.0.jar", null, "com/fasterxml/jackson/databind/ObjectMapper.class");
        Path yaml = jar("snakeyaml-2.5.jar", null, "org/yaml/snakeyaml/Yaml.class");
        Path flink = jar("flink-runtime-2.3.0.jar", null, "org/apache/flink/runtime/Foo.class");
        Path plugin = jar("files-1.0.jar", "dataflare-files", "io/dataflare/plugins/files/CsvSource.class");
        Path commons = jar("commons-io-2.15.1.jar", null, "org/apache/commons/io/IOUtils.class");
        Path classes = Files.createDirectories(dir.resolve("classes/io/dataflare/flink"));
        Files.write(classes.resolve("FlinkRunner.class"), new byte[] {1, 2, 3});
        Path testClasses = Files.createDirectories(dir.resolve("test-classes/io/dataflare/flink"));
        Files.write(testClasses.resolve("SomeTest.class"), new byte[] {4});
        // the cluster holds commons-io by name and SnakeYAML's classes inside a JAR of another name (a fat lib JAR)
        Path clusterLib = Files.createDirectories(dir.resolve("cluster/lib"));
        Path fat = jar("cluster/lib/flink-dist-2.3.0.jar", null, "org/yaml/snakeyaml/Yaml.class", "org/x/Y.class");
        ClusterClassPath cluster = ClusterClassPath.of(
                List.of(clusterLib.resolve("commons-io-2.15.1.jar").toString(), fat.toString()));

        List<Path> shipped = ShippedJars.forCluster(
                List.of(
                        engine.toString(),
                        jackson.toString(),
                        yaml.toString(),
                        flink.toString(),
                        plugin.toString(),
                        commons.toString(),
                        dir.resolve("classes").toString(),
                        dir.resolve("test-classes").toString()),
                cluster,
                Files.createDirectories(dir.resolve("staging")));

        assertThat(shipped).hasSize(3);
        assertThat(shipped.subList(0, 2)).containsExactly(engine, jackson);
        try (JarFile packed = new JarFile(shipped.get(2).toFile())) {
            assertThat(packed.getEntry("io/dataflare/flink/FlinkRunner.class")).isNotNull();
        }
    }

    @Test
    void aClusterOfWhichNothingIsKnownGetsEveryLibraryButFlink() throws IOException {
        Path yaml = jar("snakeyaml-2.5.jar", null, "org/yaml/snakeyaml/Yaml.class");
        Path commons = jar("commons-io-2.15.1.jar", null, "org/apache/commons/io/IOUtils.class");
        Path flink = jar("flink-core-2.3.0.jar", null, "org/apache/flink/core/Foo.class");

        List<Path> shipped = ShippedJars.forCluster(
                List.of(yaml.toString(), commons.toString(), flink.toString()), ClusterClassPath.UNKNOWN, dir);

        assertThat(shipped).containsExactly(yaml, commons);
    }

    @Test
    void multiReleaseClassesCountAsTheirClass() {
        assertThat(ShippedJars.className("META-INF/versions/21/a/B.class")).isEqualTo("a/B.class");
        assertThat(ShippedJars.className("META-INF/versions/9/module-info.class"))
                .isNull();
        assertThat(ShippedJars.className("META-INF/MANIFEST.MF")).isNull();
        assertThat(ShippedJars.className("a/b/C.class")).isEqualTo("a/b/C.class");
    }

    private Path jar(String name, String pluginId, String... entries) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (pluginId != null) m.getMainAttributes().putValue("Plugin-Id", pluginId);
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(p), m)) {
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                out.write(new byte[] {0});
                out.closeEntry();
            }
        }
        return p;
    }
}
