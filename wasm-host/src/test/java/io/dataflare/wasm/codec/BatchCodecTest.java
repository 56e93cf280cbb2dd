package io.dataflare.wasm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchCodecTest {
    private static final Record RICH = Record.builder()
            .set("n", null)
            .set("b", true)
            .set("l", -42L)
            .set("d", 1.0)
            .set("s", "héllo \"q\"")
            .set("wide", "naïve ā ✓ 😀 end")
            .set("bytes", new byte[] {0, 1, (byte) 255})
            .set("ts", Instant.parse("2024-05-06T07:08:09.123456789Z"))
            .set("list", List.of(1L, "x", List.of()))
            .set("map", Map.of("k", 2.5))
            .set("price", new BigDecimal("12345678901234567.890"))
            .set("whole", new BigDecimal("21.00"))
            .key("key-1")
            .header("source.file", "a.csv")
            .eventTime(Instant.parse("2024-01-01T00:00:00Z"))
            .build();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void everyValueTypeRoundTripsAndMetadataFollowsIn(int encoding) {
        BatchCodec codec = BatchCodec.of(encoding);
        RecordBatch in = RecordBatch.of(RICH, Record.builder().set("id", 7L).build());
        RecordBatch out = codec.decode(codec.encode(in), in);
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.get(0)).isEqualTo(RICH);
        assertThat(out.get(0).key()).isEqualTo("key-1");
        assertThat(out.get(1).getLong("id")).isEqualTo(7L);
        assertThat(out.get(0).getDecimal("price").toString()).isEqualTo("12345678901234567.890");
        assertThat(out.get(0).getDecimal("whole").toString()).isEqualTo("21.00");
    }

    @org.junit.jupiter.api.Test
    void jsonBatchesUseTheRecordJsonConvention() {
        String json = new String(new JsonBatchCodec().encode(RecordBatch.of(RICH)), StandardCharsets.UTF_8);
        assertThat(json)
                .contains(
                        "\"bytes\":\"AAH/\"",
                        "\"ts\":\"2024-05-06T07:08:09.123456789Z\"",
                        "\"price\":12345678901234567.890",
                        "\"d\":1.0");
    }

    @org.junit.jupiter.api.Test
    void jsonOutputTakesTheInputTypeOfAFieldBackAndReadsTheFirstVersionsTags() {
        RecordBatch in = RecordBatch.of(RICH);
        RecordBatch out = new JsonBatchCodec().decode(("""
                [{"$in": 0, "ts": "2024-05-06T07:08:09.123456789Z", "bytes": "AAH/", "price": 99.990, "whole": 3,
                  "d": 2, "s": "2024-05-06T07:08:09Z", "late": "yesterday", "old_ts": {"$ts": "2024-01-01T00:00:00Z"},
                  "old_bytes": [{"$bytes": "AQ=="}], "frac": 0.1}]
                """).getBytes(StandardCharsets.UTF_8), in);
        Record r = out.get(0);
        assertThat(r.get("ts")).isEqualTo(RICH.get("ts"));
        assertThat(r.getBytes("bytes")).containsExactly(0, 1, 255);
        assertThat(r.get("price")).isInstanceOf(BigDecimal.class);
        assertThat(r.getDecimal("price").toString()).isEqualTo("99.990");
        assertThat(r.get("whole")).isEqualTo(new BigDecimal("3"));
        // only timestamps, bytes and decimals are taken back: a string in a string field stays one
        assertThat(r.get("s")).isEqualTo("2024-05-06T07:08:09Z");
        assertThat(r.get("d")).isEqualTo(2L);
        assertThat(r.get("frac")).isEqualTo(0.1);
        assertThat(r.get("old_ts")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat((byte[]) ((List<?>) r.get("old_bytes")).get(0)).containsExactly(1);
    }

    @org.junit.jupiter.api.Test
    void binaryEncodingOneSendsDecimalsAsStringsAndTwoWithTheirOwnTag() {
        RecordBatch in = RecordBatch.of(
                Record.builder().set("p", new BigDecimal("10.50")).build());
        byte[] v1 = new BinaryBatchCodec(false).encode(in);
        byte[] v2 = new BinaryBatchCodec(true).encode(in);
        // names (u32 1, str "p"), u32 1 record, i32 in, u32 1 field, u32 name index, then the value's tag
        int tagAt = 4 + 4 + 1 + 4 + 4 + 4 + 4;
        assertThat(v1[tagAt]).isEqualTo((byte) BinaryBatchCodec.STRING);
        assertThat(v2[tagAt]).isEqualTo((byte) BinaryBatchCodec.DECIMAL);
        assertThat(new String(v2, tagAt + 5, 5, StandardCharsets.UTF_8)).isEqualTo("10.50");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void garbageIsMalformedOutput(int encoding) {
        BatchCodec codec = BatchCodec.of(encoding);
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8), RecordBatch.EMPTY))
                .isInstanceOf(MalformedOutputException.class);
        assertThatThrownBy(
                        () -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, RecordBatch.EMPTY))
                .isInstanceOf(MalformedOutputException.class);
    }

    @org.junit.jupiter.api.Test
    void jsonRejectionsNameInputRecords() {
        RecordBatch in = RecordBatch.of(RICH);
        RecordBatch out = new JsonBatchCodec().decode("""
                {"records": [{"x": 1}], "rejected": [{"$in": 0, "reason": "bad"}]}
                """.getBytes(StandardCharsets.UTF_8), in);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.get(0).key()).as("a new record has no metadata").isNull();
        assertThat(out.rejections()).singleElement().satisfies(r -> {
            assertThat(r.record()).isSameAs(RICH);
            assertThat(r.reason()).isEqualTo("bad");
        });
    }
}
