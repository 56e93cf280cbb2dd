package io.dataflare.support.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.support.PathsAt;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathTemplateTest {
    private static final Fields F = Fields.of("a", "b");

    @TempDir
    Path dir;

    @Test
    void theDirectoryIsTheOneBeforeTheFirstPlaceholder() {
        PathTemplate t = PathTemplate.parse(PathsAt.base(dir), "out/part-{a}/{b}.csv");
        assertThat(t.directory()).isEqualTo(dir.resolve("out"));
        String expanded = t.expand(Record.of(F, "x", "y"));
        assertThat(expanded).isEqualTo("out/part-x/y.csv");
        assertThat(t.resolve(expanded)).isEqualTo(dir.resolve("out/part-x/y.csv"));
        assertThat(PathTemplate.parse(PathsAt.base(dir), "{a}.csv").directory()).isEqualTo(dir);
        assertThat(PathTemplate.parse(PathsAt.base(dir), "out.csv").directory()).isNull();
    }

    @Test
    void aPathOutsideTheDirectoryIsRefused() {
        // such as a checkpointed file name that was edited, or the directory itself
        PathTemplate t = PathTemplate.parse(PathsAt.base(dir), "out/{a}{b}");
        assertThatThrownBy(() -> t.resolve("out/.."))
                .isInstanceOf(TemplateRejection.class)
                .hasMessage("path 'out/..' (from out/{a}{b}) leaves " + dir.resolve("out"));
        assertThatThrownBy(() -> t.resolve("out")).isInstanceOf(TemplateRejection.class);
        assertThatThrownBy(() -> t.resolve("out2/x")).isInstanceOf(TemplateRejection.class);
    }

    @Test
    void aTrailingSlashNamesAFolder() {
        assertThat(PathTemplate.parse(null, "out/{a}/").namesFolder()).isTrue();
        assertThat(PathTemplate.parse(null, "out/{a}.csv").namesFolder()).isFalse();
    }
}
