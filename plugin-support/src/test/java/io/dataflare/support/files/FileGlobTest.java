package io.dataflare.support.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.support.PathsAt;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileGlobTest {
    @TempDir
    Path dir;

    @Test
    void aGlobGivesTheRegularFilesItMatchesSortedByPath() throws Exception {
        Files.createDirectories(dir.resolve("in/2026/12"));
        Files.createDirectories(dir.resolve("in/sub.csv")); // a directory: never a match
        for (String f : new String[] {"in/b.csv", "in/a.csv", "in/c.txt", "in/2026/12/d.csv"}) {
            Files.writeString(dir.resolve(f), "x");
        }
        PluginContext ctx = PathsAt.base(dir);

        assertThat(FileGlob.expand(ctx, "path", "in/*.csv"))
                .extracting(p -> dir.relativize(p).toString())
                .containsExactly("in/a.csv", "in/b.csv");
        assertThat(FileGlob.expand(ctx, "path", "in/**/*.csv"))
                .extracting(p -> dir.relativize(p).toString())
                .containsExactly("in/2026/12/d.csv");
        assertThat(FileGlob.expand(ctx, "path", "in/c.txt")).containsExactly(dir.resolve("in/c.txt"));
    }

    @Test
    void nothingToReadIsAConfigErrorOnTheOptionSayingWhereItLooked() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        PluginContext ctx = PathsAt.base(dir);

        assertThatThrownBy(() -> FileGlob.expand(ctx, "path", "in/*.csv"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("path")
                .hasMessageContaining("no file matches in/*.csv (looked in " + dir.resolve("in") + ")");
        assertThatThrownBy(() -> FileGlob.expand(ctx, "path", "in/missing.csv"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such file: in/missing.csv");
        assertThatThrownBy(() -> FileGlob.expand(ctx, "path", "in/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is a directory, not a file")
                .hasMessageContaining("write a glob such as in/*");
    }

    @Test
    void theFirstGlobCharacterIsFound() {
        assertThat(FileGlob.firstGlobChar("data/in.csv")).isEqualTo(-1);
        assertThat(FileGlob.firstGlobChar("data/*.csv")).isEqualTo(5);
        assertThat(FileGlob.firstGlobChar("logs/{a,b}/x?.jsonl")).isEqualTo(5);
        assertThat(FileGlob.firstGlobChar("x[0-9].csv")).isEqualTo(1);
    }
}
