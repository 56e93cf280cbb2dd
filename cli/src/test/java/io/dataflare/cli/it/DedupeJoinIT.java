package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's deduplication and join examples, through the CLI with the real plugin JARs. */
class DedupeJoinIT {
    @TempDir
    Path dir;

    private Path example(String name, String... data) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        for (String d : data)
            Files.copy(Path.of("..", "examples", "data", d), dir.resolve("data").resolve(d));
        return Files.copy(Path.of("..", "examples", name), dir.resolve(name));
    }

    private List<JsonNode> lines(String file) throws Exception {
        Path p = dir.resolve("out").resolve(file);
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(p)) return out;
        for (String line : Files.readAllLines(p)) out.add(Distribution.JSON.readTree(line));
        return out;
    }

    @Test
    void dedupeKeepsTheFirstRecordOfEachEventId() throws Exception {
        Path p = example("dedupe.yaml", "events-dup.csv");
        Distribution.Cli r = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong()).isEqualTo(8);
        assertThat(s.get("records_out").asLong()).isEqualTo(5);
        assertThat(s.get("filtered").asLong())
                .as("the duplicates count as filtered")
                .isEqualTo(3);
        assertThat(lines("events-unique.jsonl"))
                .extracting(n -> n.get("event_id").asText())
                .containsExactly("e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void joinEnrichesEachOrderFromTheCustomerTableAsItStoodWhenTheOrderArrived() throws Exception {
        Path p = example("enrich-join.yaml", "orders-join.csv", "customers-changelog.csv");
        Distribution.Cli r = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("status").asText()).isEqualTo("COMPLETED");
        // the inputs are merged as they arrive, so an order may come before or after each change of its
        // customer; whatever the interleaving, every order is written or dead-lettered exactly once, an
        // enriched one carries a version of its customer that the changelog held, and customer 4 never exists
        Map<Long, Set<String>> versions =
                Map.of(1L, Set.of("Ann/FR"), 2L, Set.of("Bob/US", "Bob/CA"), 3L, Set.of("Cid/DE"));
        Map<Long, Integer> seen = new HashMap<>();
        for (JsonNode o : lines("orders-enriched.jsonl")) {
            long customer = o.get("customer_id").asLong();
            assertThat(versions.get(customer))
                    .as("order %s", o)
                    .contains(o.get("name").asText() + "/" + o.get("country").asText());
            seen.merge(o.get("order_id").asLong(), 1, Integer::sum);
        }
        List<JsonNode> unmatched = lines("orders-unmatched.jsonl");
        for (JsonNode d : unmatched) {
            seen.merge(d.get("record").get("order_id").asLong(), 1, Integer::sum);
            assertThat(d.get("error").asText()).startsWith("join: no 'customers' row for customer_id = ");
        }
        assertThat(seen)
                .containsOnlyKeys(101L, 102L, 103L, 104L, 105L)
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(unmatched)
                .extracting(d -> d.get("record").get("order_id").asLong())
                .contains(104L);
    }

    @Test
    void aJoinWithABadMissingOptionIsRejectedNamingIt() throws Exception {
        Path p = example("enrich-join.yaml", "orders-join.csv", "customers-changelog.csv");
        Files.writeString(p, Files.readString(p).replace("missing: dead-letter", "missing: ignore"));
        Distribution.Cli v = Distribution.cli("validate", p.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.out() + v.err()).contains("missing").contains("'ignore' is not one of keep, drop, dead-letter");
    }
}
