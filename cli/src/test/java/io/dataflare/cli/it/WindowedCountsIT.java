package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's windows example ({@code examples/windowed-counts.yaml}), through the CLI with the real plugin JARs. */
class WindowedCountsIT {
    @TempDir
    Path dir;

    @Test
    void theExampleGivesTheTableOfTheReadme() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.copy(
                Path.of("..", "examples", "data", "payments-windowed.csv"), dir.resolve("data/payments-windowed.csv"));
        Path yaml = Files.copy(Path.of("..", "examples", "windowed-counts.yaml"), dir.resolve("windowed-counts.yaml"));

        Distribution.Cli r = Distribution.cli("run", yaml.toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong()).isEqualTo(9);
        assertThat(s.get("dead_lettered").asLong())
                .as("the 00:09 record, too late")
                .isEqualTo(1);

        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out/windowed-counts.jsonl"))) {
            JsonNode n = Distribution.JSON.readTree(line);
            rows.add(
                    n.get("key").asText() + " " + n.get("window_start").asText().substring(14, 19) + "-"
                            + n.get("window_end").asText().substring(14, 19) + " n="
                            + n.get("n").asLong() + " total="
                            + n.get("total").decimalValue().toPlainString() + " biggest="
                            + n.get("biggest").decimalValue().toPlainString() + " big="
                            + n.get("big").asBoolean());
        }
        assertThat(rows)
                .containsExactly(
                        "a 00:00-00:10 n=2 total=4 biggest=3 big=false",
                        "b 00:00-00:10 n=1 total=10 biggest=10 big=true",
                        "a 00:00-00:10 n=3 total=9 biggest=5 big=true",
                        "a 00:10-00:20 n=2 total=6 biggest=4 big=true",
                        "a 00:20-00:30 n=1 total=6 biggest=6 big=true",
                        "a 00:30-00:40 n=1 total=8 biggest=8 big=true");
        List<String> dead = Files.readAllLines(dir.resolve("out/windowed-dead-letters.jsonl"));
        assertThat(dead).singleElement().asString().contains("late record", "00:00:09Z");
    }
}
