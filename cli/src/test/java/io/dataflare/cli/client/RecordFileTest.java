package io.dataflare.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFileTest {
    @TempDir
    Path dir;

    @Test
    void jsonNumbersAreSentAsWrittenSoTheServerCanKeepThemExact() throws Exception {
        Path file = Files.writeString(
                dir.resolve("in.jsonl"),
                "{\"amount\": 12345678901234567.891, \"big\": 123456789012345678901234567890, \"n\": 7}\n");
        try (RecordFile rows = RecordFile.open(file)) {
            List<Map<String, Object>> batch = rows.next(10);
            assertThat(batch).hasSize(1);
            assertThat(batch.get(0).get("amount")).isEqualTo(new BigDecimal("12345678901234567.891"));
            assertThat(batch.get(0).get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
            assertThat(((Number) batch.get(0).get("n")).longValue()).isEqualTo(7L);
            assertThat(rows.next(10)).isEmpty();
        }
    }

    @Test
    void aLineThatIsNotAnObjectNamesTheFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("in.jsonl"), "{\"a\":1}\n[1,2]\n");
        try (RecordFile rows = RecordFile.open(file)) {
            assertThatThrownBy(() -> rows.next(10))
                    .isInstanceOf(RecordFile.BadRecordException.class)
                    .hasMessageContaining(file + ":2");
        }
    }
}
