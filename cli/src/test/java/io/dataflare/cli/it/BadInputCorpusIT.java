package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus (src/test/resources/bad-input): every bad row is dead-lettered with its file, line
 * and reason, every good row comes out, the run completes, and records_in = records_out + dead_lettered +
 * skipped.
 */
class BadInputCorpusIT {
    @TempDir
    Path dir;

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of(
                        "ragged.csv",
                        List.of(1L, 4L),
                        List.of("3|expected 3 fields, found 2", "4|expected 3 fields, found 4")),
                Arguments.of(
                        "broken-quotes.csv",
                        List.of(1L, 3L, 5L),
                        List.of(
                                "3|a quoted field opened on this line does not close",
                                "5|unexpected text after the closing quote")),
                Arguments.of("invalid-utf8.csv", List.of(1L, 3L), List.of("3|field 'name' is not valid UTF-8")),
                Arguments.of("bom.csv", List.of(1L, 2L), List.of()),
                Arguments.of("schema.csv", List.of(1L, 3L, 4L), List.of("3|field 'amount': 'twenty' is not a number")),
                Arguments.of(
                        "broken.jsonl",
                        List.of(1L, 4L),
                        List.of(
                                "2|Unexpected end-of-input",
                                "3|expected a JSON object, found an array",
                                "4|Unrecognized token 'not'",
                                "-|field 'amount': 'abc' is not a number")),
                Arguments.of("oversized.jsonl", List.of(1L, 3L), List.of("2|line longer than 1024 bytes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyBadRowIsDeadLetteredWithWhereAndWhy(String file, List<Long> goodIds, List<String> deadLetters)
            throws Exception {
        Files.copy(Path.of("src/test/resources/bad-input").resolve(file), dir.resolve(file));
        String source = file.endsWith(".csv")
                ? "in: { use: csv-file, with: { path: " + file + ", schema: { id: long, amount: double } } }"
                : "in: { use: jsonl-file, with: { path: " + file + ", max_record_bytes: 1024 } }";
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                sources: { %s }
                processors: { typed: { use: cast, from: in, with: { schema: { amount: double } } } }
                sinks: { out: { use: jsonl-file, from: typed, with: { path: out.jsonl } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } } } }
                """.formatted(source));
        Distribution.Cli r = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_in").asLong())
                .isEqualTo(s.get("records_out").asLong()
                        + s.get("dead_lettered").asLong()
                        + s.get("skipped").asLong());

        List<Long> ids = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out.jsonl")))
            ids.add(Distribution.JSON.readTree(l).get("id").asLong());
        assertThat(ids).containsExactlyElementsOf(goodIds);

        List<String> dlq =
                Files.exists(dir.resolve("dlq.jsonl")) ? Files.readAllLines(dir.resolve("dlq.jsonl")) : List.of();
        assertThat(dlq).hasSameSizeAs(deadLetters);
        for (int i = 0; i < dlq.size(); i++) {
            JsonNode d = Distribution.JSON.readTree(dlq.get(i));
            String[] expected = deadLetters.get(i).split("\\|", 2);
            assertThat(d.get("error").asText()).contains(expected[1]);
            if (!expected[0].equals("-")) {
                assertThat(d.get("headers").get("source.line").asText()).isEqualTo(expected[0]);
                assertThat(d.get("headers").get("source.file").asText()).endsWith(file);
                assertThat(d.get("error").asText()).startsWith(file + " line " + expected[0] + ":");
                assertThat(d.get("record").get("raw").asText()).isNotEmpty();
            }
        }
    }
}
