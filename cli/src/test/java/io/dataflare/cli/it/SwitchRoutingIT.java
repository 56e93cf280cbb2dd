package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's content-based routing example ({@code switch}), through the CLI with the real plugin JARs. */
class SwitchRoutingIT {
    @TempDir
    Path dir;

    private Path example(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.copy(Path.of("..", "examples", "data", "orders-routing.csv"), dir.resolve("data/orders-routing.csv"));
        return Files.writeString(dir.resolve("switch-routing.yaml"), yaml);
    }

    private static String exampleText() throws Exception {
        return Files.readString(Path.of("..", "examples", "switch-routing.yaml"));
    }

    private List<Long> ids(String file) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out").resolve(file))) {
            ids.add(Distribution.JSON.readTree(line).get("order_id").asLong());
        }
        return ids;
    }

    @Test
    void eachOrderGoesToTheOutputOfTheFirstCaseItMatches() throws Exception {
        Distribution.Cli r = Distribution.cli("run", example(exampleText()).toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong()).isEqualTo(8);
        assertThat(s.get("dead_lettered").asLong())
                .as("order 6's amount is not a number")
                .isEqualTo(1);
        assertThat(s.get("records_out").asLong()).isEqualTo(7);
        assertThat(ids("high.jsonl")).containsExactly(1L, 3L, 7L);
        assertThat(ids("eu.jsonl")).containsExactly(2L, 8L);
        assertThat(ids("rest.jsonl")).containsExactly(4L, 5L);
        JsonNode outputs = s.get("outputs").get("router");
        assertThat(outputs.get("high").asLong()).isEqualTo(3);
        assertThat(outputs.get("eu").asLong()).isEqualTo(2);
        assertThat(outputs.get("rest").asLong()).isEqualTo(2);
    }

    @Test
    void withAllMatchesAnOrderGoesToEveryOutputItMatches() throws Exception {
        String yaml = exampleText().replace("all_matches: false", "all_matches: true");
        Distribution.Cli r = Distribution.cli("run", example(yaml).toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("records_out").asLong()).isEqualTo(9);
        assertThat(ids("high.jsonl")).containsExactly(1L, 3L, 7L);
        assertThat(ids("eu.jsonl")).containsExactly(1L, 2L, 7L, 8L);
        assertThat(ids("rest.jsonl")).containsExactly(4L, 5L);
    }

    @Test
    void aSinkReadingAnOutputTheSwitchDoesNotHaveIsRejectedBeforeTheRun() throws Exception {
        Path p = example(exampleText().replace("from: router.rest", "from: router.others"));
        Distribution.Cli v = Distribution.cli("validate", p.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.out() + v.err())
                .contains("switch-routing.yaml:28:")
                .contains("sink 'other' reads from 'router.others', but 'router' has no output 'others';"
                        + " its outputs: high, eu, rest");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
