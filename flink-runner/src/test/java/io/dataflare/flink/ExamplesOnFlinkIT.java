package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's examples that cover the rest of the mapping, each run locally and on Flink: named outputs and
 * dead letters ({@code switch-routing}), fan-in from two sources ({@code fan-in}) and a JavaScript processor given by
 * path ({@code js-processor}). Every output file holds the same records (in any order: two sources interleave
 * differently), and the summaries mean the same. A processor using timers ({@code windowed-counts}) is
 * refused before anything runs.
 */
@Timeout(300)
class ExamplesOnFlinkIT {
    @ParameterizedTest
    @ValueSource(strings = {"switch-routing", "fan-in", "js-processor"})
    void runsAsLocally(String example, @TempDir Path dir) throws Exception {
        Path examples = Fixtures.ROOT.resolve("examples");
        copyTree(examples, dir, example);
        Path pipeline = dir.resolve(example + ".yaml");
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        Map<String, List<String>> localOut = outputs(dir.resolve("out"));
        deleteTree(dir.resolve("out"));
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(local.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(flink.failure()).isNull();
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        assertThat(localOut).isNotEmpty();
        assertThat(outputs(dir.resolve("out"))).isEqualTo(localOut);
    }

    @Test
    void aProcessorUsingTimersIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        copyTree(Fixtures.ROOT.resolve("examples"), dir, "windowed-counts");
        Path pipeline = dir.resolve("windowed-counts.yaml");

        assertThatThrownBy(() -> Fixtures.runOnFlink(pipeline, List.of(Fixtures.BUILT_INS), null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("windowed-counts.yaml:")
                .hasMessageContaining("processor 'per-user': window (dataflare-transforms@1.1.0) uses timers");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** The pipeline file, its data and its scripts (what the examples read), not the outputs of earlier runs. */
    private static void copyTree(Path examples, Path dir, String example) throws IOException {
        Files.copy(examples.resolve(example + ".yaml"), dir.resolve(example + ".yaml"));
        for (String sub : List.of("data", "scripts")) {
            Path from = examples.resolve(sub);
            if (!Files.isDirectory(from)) continue;
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path to = dir.resolve(examples.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to);
                    else Files.copy(f, to);
                }
            }
        }
    }

    /** Each output file's lines, parsed, without the time a dead letter was written, in a fixed order. */
    private static Map<String, List<String>> outputs(Path out) throws IOException {
        Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path f : s.toList()) {
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = Fixtures.JSON.readTree(line);
                    if (n instanceof ObjectNode o) o.remove("failed_at");
                    lines.add(n.toString());
                }
                lines.sort(null);
                files.put(f.getFileName().toString(), lines);
            }
        }
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
