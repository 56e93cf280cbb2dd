package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginBundleTest {
    @Test
    void packsFoldersByContentHashAndUnpacksThemFromTheJobsClassPath(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a/sub"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("one.txt"), "same");
        Files.writeString(b.resolve("two.txt"), "same");
        Files.writeString(b.resolve("three.txt"), "other");
        Path into = Files.createDirectories(dir.resolve("staging"));

        PluginBundle.Packed packed = PluginBundle.pack(List.of(dir.resolve("a"), dir.resolve("missing"), b), into);

        try (ZipFile zip = new ZipFile(packed.jar().toFile())) {
            // the index and two contents: "same" is stored once
            assertThat(zip.size()).isEqualTo(3);
        }
        assertThat(packed.folders()).isEqualTo(3);
        try (URLClassLoader cl =
                new URLClassLoader(new URL[] {packed.jar().toUri().toURL()}, null)) {
            List<Path> dirs = PluginBundle.unpack(cl, packed.hash(), packed.folders(), dir.resolve("out"));
            assertThat(dirs).hasSize(3);
            assertThat(Files.readString(dirs.get(0).resolve("sub/one.txt"))).isEqualTo("same");
            assertThat(dirs.get(1)).isEmptyDirectory();
            assertThat(Files.readString(dirs.get(2).resolve("two.txt"))).isEqualTo("same");
            assertThat(Files.readString(dirs.get(2).resolve("three.txt"))).isEqualTo("other");
            assertThatThrownBy(() -> PluginBundle.unpack(cl, "0".repeat(64), 1, dir.resolve("none")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not on the job's class path");
        }
    }

    @Test
    void theSameFilesGiveTheSameBundleHash(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("p.jar"), "x");
        String first = PluginBundle.pack(List.of(a), Files.createDirectories(dir.resolve("s1")))
                .hash();
        String again = PluginBundle.pack(List.of(a), Files.createDirectories(dir.resolve("s2")))
                .hash();
        Files.writeString(a.resolve("p.jar"), "y");
        String changed = PluginBundle.pack(List.of(a), Files.createDirectories(dir.resolve("s3")))
                .hash();

        assertThat(again).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
    }
}
