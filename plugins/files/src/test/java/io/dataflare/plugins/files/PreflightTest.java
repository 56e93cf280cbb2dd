package io.dataflare.plugins.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigException;
import io.dataflare.plugins.files.csv.CsvFileSinkFactory;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSinkFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSourceFactory;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the file components check before a run ({@code PluginFactory.preflight}): an input that is not
 * there, an output directory a file stands in the way of; each a {@code ConfigException} on {@code path},
 * with nothing read or created.
 */
class PreflightTest {
    @TempDir
    Path dir;

    static List<PluginFactory<?>> sources() {
        return List.of(new CsvFileSourceFactory(), new JsonlFileSourceFactory());
    }

    static List<PluginFactory<?>> sinks() {
        return List.of(new CsvFileSinkFactory(), new JsonlFileSinkFactory());
    }

    private void preflight(PluginFactory<?> factory, String path) {
        factory.preflight(SimplePluginContext.of(factory, Map.of("path", path), dir));
    }

    private static ConfigException onPath(Throwable t) {
        ConfigException e = (ConfigException) t;
        assertThat(e.errors())
                .singleElement()
                .satisfies(err -> assertThat(err.field()).isEqualTo("path"));
        return e;
    }

    @ParameterizedTest
    @MethodSource("sources")
    void aMissingInputFileIsAProblemOnPath(PluginFactory<?> source) {
        assertThatThrownBy(() -> preflight(source, "data/in.csv"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t -> assertThat(onPath(t).getMessage())
                        .isEqualTo(
                                "'path' no such file: data/in.csv (resolved to " + dir.resolve("data/in.csv") + ")"));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void aGlobMatchingNoFileIsAProblemOnPath(PluginFactory<?> source) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/other.txt"), "x");
        assertThatThrownBy(() -> preflight(source, "data/*.csv"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t -> assertThat(onPath(t).getMessage()).startsWith("'path' no file matches data/*.csv"));
        assertThatThrownBy(() -> preflight(source, "nowhere/*.csv")).isInstanceOf(ConfigException.class);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void aDirectoryIsNotAnInputFile(PluginFactory<?> source) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        assertThatThrownBy(() -> preflight(source, "data"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t -> assertThat(onPath(t).getMessage())
                        .contains("data is a directory, not a file")
                        .contains("write a glob such as data/*"));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void anExistingFileOrAMatchingGlobPasses(PluginFactory<?> source) throws Exception {
        Files.createDirectories(dir.resolve("data/2024"));
        Files.writeString(dir.resolve("data/2024/a.csv"), "x\n1\n");
        assertThatCode(() -> preflight(source, "data/2024/a.csv")).doesNotThrowAnyException();
        assertThatCode(() -> preflight(source, "data/**/*.csv")).doesNotThrowAnyException();
        assertThatCode(() -> preflight(source, dir.resolve("data/2024/a.csv").toString()))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void aFileInTheWayOfTheOutputDirectoryIsAProblemOnPath(PluginFactory<?> sink) throws Exception {
        Files.writeString(dir.resolve("out"), "a file, not a directory");
        assertThatThrownBy(() -> preflight(sink, "out/sub/orders.jsonl"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t -> assertThat(onPath(t).getMessage())
                        .isEqualTo("'path' the directory " + dir.resolve("out/sub") + " cannot be created: "
                                + dir.resolve("out") + " is a file"));
        assertThatThrownBy(() -> preflight(sink, "out/{country}/orders.jsonl"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t -> assertThat(onPath(t).getMessage()).contains(dir.resolve("out") + " is a file"));
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void anOutputPathThatIsADirectoryIsAProblemOnPath(PluginFactory<?> sink) throws Exception {
        Files.createDirectories(dir.resolve("out/orders.jsonl"));
        assertThatThrownBy(() -> preflight(sink, "out/orders.jsonl"))
                .isInstanceOf(ConfigException.class)
                .satisfies(t ->
                        assertThat(onPath(t).getMessage()).contains("out/orders.jsonl is a directory, not a file"));
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void aDirectoryStillToBeCreatedPassesAndIsNotCreated(PluginFactory<?> sink) throws Exception {
        assertThatCode(() -> preflight(sink, "out/a/b/orders.jsonl")).doesNotThrowAnyException();
        assertThatCode(() -> preflight(sink, "out/{country}/orders.jsonl")).doesNotThrowAnyException();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("preflight creates nothing").isEmpty();
        }
    }
}
