package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters are replayed into the stage that failed them after a fix, and nothing is lost. */
class ReplayIT {
    @TempDir
    Path dir;

    private static final String PIPELINE = """
            name: orders
            sources:
              in: { use: csv-file, with: { path: in.csv, schema: { id: long } } }
            processors:
              check: { use: fail, from: in, with: { field: country, equals: %s } }
              tag: { use: map, from: check, with: { set: { checked: "true" } } }
            sinks:
              out: { use: jsonl-file, from: tag, with: { path: out.jsonl } }
            policies:
              errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } } }
            """;

    @Test
    void replaysFixedRecordsIntoTheFailedStageAndCountsSourceRejects() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,country\n1,DE\n2,XX\n3,FR\nbroken,DE\n4,XX\n");
        Path p = Files.writeString(dir.resolve("p.yaml"), PIPELINE.formatted("XX"));
        Distribution.Cli first = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(first.json().get("dead_lettered").asLong()).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(2);

        Files.writeString(p, PIPELINE.formatted("nothing-fails-now"));
        Distribution.Cli replay =
                Distribution.cli("replay", dir.resolve("dlq.jsonl").toString(), "--into", p.toString(), "--json");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.err())
                .contains("replaying 2 dead letter(s) into 'check'")
                .contains("not replayed: 1 dead letter(s) of source 'in'");
        JsonNode s = replay.json();
        assertThat(s.get("records_out").asLong()).isEqualTo(2);
        assertThat(s.get("dead_lettered").asLong()).isZero();

        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertThat(out)
                .hasSize(4)
                .anySatisfy(l -> assertThat(l).contains("\"id\":2").contains("\"checked\":true"));
        assertThat(Files.readAllLines(dir.resolve("dlq.jsonl")))
                .as("the replayed file is left as it was")
                .hasSize(3);
    }

    private static final String TYPED = """
            name: typed
            sources:
              in: { use: csv-file, with: { path: in.csv, schema: { id: long, price: decimal, at: timestamp, raw: bytes } } }
            processors:
              check: { use: fail, from: in, with: { field: country, equals: %s } }
              tag: { use: map, from: check, with: { set: { doubled: "price * 2" } } }
            sinks:
              out: { use: jsonl-file, from: tag, with: { path: %s } }
            policies:
              errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } } }
            """;

    @Test
    void replayedDecimalsTimestampsAndBytesEqualTheOriginals() throws Exception {
        Files.writeString(
                dir.resolve("in.csv"),
                "id,country,price,at,raw\n"
                        + "1,DE,12345678901234567.89,2024-05-06T07:08:09.123456789Z,AAH/\n"
                        + "2,XX,10.50,2024-01-01T00:00:00Z,AQID\n"
                        + "3,XX,1000,2024-02-29T12:00:00.5Z,\n");
        // what an undisturbed run writes
        Path clean = Files.writeString(dir.resolve("clean.yaml"), TYPED.formatted("nothing-fails", "clean.jsonl"));
        assertThat(Distribution.cli("run", clean.toString(), "--state", "memory:")
                        .exit())
                .isZero();
        List<String> expected = Files.readAllLines(dir.resolve("clean.jsonl"));
        assertThat(expected.get(1))
                .isEqualTo("{\"id\":2,\"country\":\"XX\",\"price\":10.50,\"at\":\"2024-01-01T00:00:00Z\","
                        + "\"raw\":\"AQID\",\"doubled\":21.00}");

        Path p = Files.writeString(dir.resolve("p.yaml"), TYPED.formatted("XX", "out.jsonl"));
        assertThat(Distribution.cli("run", p.toString(), "--state", "memory:").exit())
                .isZero();
        assertThat(Files.readAllLines(dir.resolve("dlq.jsonl")))
                .hasSize(2)
                .first()
                .asString()
                .contains("\"types\":{\"price\":\"decimal\",\"at\":\"timestamp\",\"raw\":\"bytes\"}");

        Files.writeString(p, TYPED.formatted("nothing-fails-now", "out.jsonl"));
        Distribution.Cli replay =
                Distribution.cli("replay", dir.resolve("dlq.jsonl").toString(), "--into", p.toString(), "--json");
        assertThat(replay.exit()).as(replay.err()).isZero();
        // the replayed records went through the same stages as in the clean run and came out the same
        assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void recordsFailingAgainGoToANewDeadLetterFile() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,country\n1,XX\n2,XX\n");
        Path p = Files.writeString(dir.resolve("p.yaml"), PIPELINE.formatted("XX"));
        Distribution.cli("run", p.toString(), "--state", "memory:");
        Distribution.Cli replay = Distribution.cli(
                "replay",
                dir.resolve("dlq.jsonl").toString(),
                "--into",
                p.toString(),
                "--dead-letter",
                dir.resolve("again.jsonl").toString(),
                "--json");
        assertThat(replay.exit()).isZero();
        assertThat(replay.json().get("dead_lettered").asLong()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("again.jsonl")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"stage\":\"check\""));
    }

    @Test
    void aDeadLetterOfAnUnknownStageIsAnError() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,country\n1,DE\n");
        Path p = Files.writeString(dir.resolve("p.yaml"), PIPELINE.formatted("XX"));
        Path dlq =
                Files.writeString(dir.resolve("other.jsonl"), "{\"stage\":\"gone\",\"record\":{\"id\":1}}\nnot json\n");
        Distribution.Cli r = Distribution.cli("replay", dlq.toString(), "--into", p.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(dlq + ":2:1: not JSON");
    }
}
