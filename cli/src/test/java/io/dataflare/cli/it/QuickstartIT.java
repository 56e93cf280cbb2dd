package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, through the CLI, with the real plugin JARs. */
class QuickstartIT {
    @TempDir
    Path dir;

    private Path copyExample() throws Exception {
        Path examples = Path.of("..", "examples");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(examples.resolve("quickstart.yaml"), dir.resolve("quickstart.yaml"));
        Files.copy(examples.resolve("data/orders.csv"), dir.resolve("data/orders.csv"));
        return dir.resolve("quickstart.yaml");
    }

    @Test
    void producesTheDocumentedOutputAndDeadLetters() throws Exception {
        Distribution.Cli r = Distribution.cli("run", copyExample().toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong()).isEqualTo(10);
        assertThat(s.get("records_out").asLong()).isEqualTo(6);
        assertThat(s.get("dead_lettered").asLong()).isEqualTo(2);
        assertThat(s.get("skipped").asLong()).isEqualTo(2);
        assertThat(s.get("records_in").asLong())
                .isEqualTo(s.get("records_out").asLong()
                        + s.get("dead_lettered").asLong()
                        + s.get("skipped").asLong());
        assertThat(s.get("sinks").get("out").asLong()).isEqualTo(6);

        List<String> out = Files.readAllLines(dir.resolve("out/orders.jsonl"));
        assertThat(out).hasSize(6);
        JsonNode first = Distribution.JSON.readTree(out.get(0));
        assertThat(first.get("order_id").asLong()).isEqualTo(1002);
        assertThat(first.get("total").asDouble()).isEqualTo(240.0);
        assertThat(Distribution.JSON.readTree(out.get(1)).get("email").asText()).isEqualTo("ann.lee@example.com");

        List<String> dlq = Files.readAllLines(dir.resolve("out/dead-letters.jsonl"));
        assertThat(dlq).hasSize(2);
        JsonNode d = Distribution.JSON.readTree(dlq.get(0));
        assertThat(d.get("error").asText())
                .isEqualTo("orders.csv line 5: field 'amount': 'not-a-number' is not a number");
        assertThat(d.get("plugin").asText()).isEqualTo("dataflare-files@1.1.0");
        assertThat(d.get("headers").get("source.line").asText()).isEqualTo("5");
        assertThat(Distribution.JSON.readTree(dlq.get(1)).get("error").asText())
                .contains("line 7: expected 6 fields, found 5");
    }

    @Test
    void textSummaryAndValidate() throws Exception {
        Path p = copyExample();
        Distribution.Cli r = Distribution.cli("run", p.toString(), "--state", "memory:");
        assertThat(r.exit()).isZero();
        assertThat(r.err())
                .as("the summary for people goes to stderr")
                .contains("quickstart COMPLETED")
                .contains("10 records in, 6 out, 2 dead-lettered, 2 skipped");
        Distribution.Cli v = Distribution.cli("validate", p.toString());
        assertThat(v.exit()).isZero();
        assertThat(v.out()).contains("valid pipeline 'quickstart'").contains("csv-file (dataflare-files@1.1.0)");
    }

    @Test
    void pluginsListShowsEveryBuiltInComponent() throws Exception {
        Distribution.Cli r = Distribution.cli("plugins", "list", "--json");
        assertThat(r.exit()).isZero();
        JsonNode rows = Distribution.JSON.readTree(r.out());
        assertThat(rows)
                .extracting(n -> n.get("name").asText() + "/" + n.get("kind").asText())
                .contains(
                        "csv-file/source",
                        "csv-file/sink",
                        "jsonl-file/source",
                        "jsonl-file/sink",
                        "stdin/source",
                        "stdout/sink",
                        "generator/source",
                        "filter/processor",
                        "map/processor",
                        "select/processor",
                        "drop/processor",
                        "rename/processor",
                        "cast/processor",
                        "switch/processor",
                        "exponential-backoff/retry policy",
                        "dead-letter/error policy",
                        "hash/key router",
                        "sticky/key router",
                        "round_robin/key router");
        assertThat(rows)
                .allMatch(n -> n.get("state").asText().equals("loaded")
                        && n.get("language").asText().equals("java"));
    }

    @Test
    void versionNamesEngineAndJdk() {
        Distribution.Cli r = Distribution.cli("--version");
        assertThat(r.out())
                .contains("DataFlare 1.1.0")
                .contains("JDK " + Runtime.version().feature());
    }
}
