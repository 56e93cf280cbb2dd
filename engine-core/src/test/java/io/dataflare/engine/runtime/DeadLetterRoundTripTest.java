package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.data.Record;
import io.dataflare.api.policy.Failure;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.replay.DeadLetter;
import io.dataflare.engine.replay.DeadLetterFile;
import io.dataflare.json.RecordJson;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead letter written as JSON lines and read back for replay gives the record that failed, types and all. */
class DeadLetterRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void replayReadsBackARecordEqualToTheOneThatFailed() throws Exception {
        Record original = Record.builder()
                .set("id", 7L)
                .set("price", new BigDecimal("12345678901234567.890"))
                .set("whole", new BigDecimal("1000"))
                .set("rate", 0.25)
                .set("nan", Double.NaN)
                .set("at", Instant.parse("2024-05-06T07:08:09.123456789Z"))
                .set("raw", new byte[] {0, 1, (byte) 0xfe})
                .set("name", "Ann")
                .set("tags", List.of("a", 2L))
                .set("none", null)
                .key(new BigDecimal("10.50"))
                .header("source.file", "in.csv")
                .eventTime(Instant.parse("2024-01-01T00:00:00Z"))
                .build();
        Record letter = DeadLetters.of(
                original,
                new Failure("invalid_record", "bad", null, 1, "check", "fail@1.0.0"),
                "orders",
                Instant.parse("2024-06-01T00:00:00Z"),
                new Redactor());

        Path file = dir.resolve("dlq.jsonl");
        try (Writer w = Files.newBufferedWriter(file);
                JsonGenerator g = RecordJson.newFactory().createGenerator(w)) {
            RecordJson.writeFields(g, letter);
            g.writeRaw('\n');
        }
        String line = Files.readString(file);
        assertThat(line)
                .contains("\"types\":{\"price\":\"decimal\",\"whole\":\"decimal\",\"nan\":\"double\","
                        + "\"at\":\"timestamp\",\"raw\":\"bytes\"}")
                .contains("\"price\":12345678901234567.890")
                .contains("\"key\":10.50,\"key_type\":\"decimal\"");

        List<DeadLetter> back = DeadLetterFile.read(file);
        assertThat(back).hasSize(1);
        Record replayed = back.get(0).record();
        assertThat(replayed).isEqualTo(original);
        assertThat(replayed.getDecimal("price").toString()).isEqualTo("12345678901234567.890");
        assertThat(replayed.get("whole")).isInstanceOf(BigDecimal.class);
        assertThat(replayed.getBytes("raw")).containsExactly(0, 1, 0xfe);
        assertThat(replayed.key()).isEqualTo(new BigDecimal("10.50"));
        assertThat(replayed.eventTime()).isEqualTo(original.eventTime());
        assertThat(back.get(0).stage()).isEqualTo("check");
        assertThat(back.get(0).error()).isEqualTo("bad");
    }

    @Test
    void aDeadLetterWrittenBeforeTypesExistedStillReads() throws Exception {
        Path file = Files.writeString(
                dir.resolve("old.jsonl"),
                "{\"stage\":\"check\",\"record\":{\"id\":1,\"at\":\"2024-05-06T07:08:09Z\",\"x\":2.5},\"error\":\"e\"}\n");
        Record r = DeadLetterFile.read(file).get(0).record();
        assertThat(r.asMap()).isEqualTo(Map.of("id", 1L, "at", "2024-05-06T07:08:09Z", "x", 2.5));
    }
}
