package io.dataflare.wasm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchCodecTest {
    private static final Record RICH = Record.builder()
            .set("n", null).set("b", true).set("l", -42L).set("d", 1.0).set("s", "héllo \"q\"")
            .set("bytes", new byte[] {0, 1, (byte) 255}).set("ts", Instant.parse("2024-05-06T07:08:09.123456789Z"))
            .set("list", List.of(1L, "x", List.of())).set("map", Map.of("k", 2.5))
            .key("key-1").header("source.file", "a.csv").eventTime(Instant.parse("2024-01-01T00:00:00Z")).build();

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void everyValueTypeRoundTripsAndMetadataFollowsIn(int encoding) {
        BatchCodec codec = BatchCodec.of(encoding);
        RecordBatch in = RecordBatch.of(RICH, Record.builder().set("id", 7L).build());
        RecordBatch out = codec.decode(codec.encode(in), in);
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.get(0)).isEqualTo(RICH);
        assertThat(out.get(0).key()).isEqualTo("key-1");
        assertThat(out.get(1).getLong("id")).isEqualTo(7L);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void garbageIsMalformedOutput(int encoding) {
        BatchCodec codec = BatchCodec.of(encoding);
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8), RecordBatch.EMPTY))
                .isInstanceOf(MalformedOutputException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, RecordBatch.EMPTY))
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
