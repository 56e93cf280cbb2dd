package io.dataflare.plugins.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a sink writes, the source of the same format reads back with every value and type intact. */
class RoundTripTest {
    private static final Fields F =
            Fields.of("name", "count", "ratio", "ok", "blob", "price", "at", "tags", "attrs", "missing");

    @TempDir
    Path dir;

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(
                        new ParquetFileSinkFactory(), new ParquetFileSourceFactory(), "out/data.parquet", "snappy"),
                Arguments.of(new ParquetFileSinkFactory(), new ParquetFileSourceFactory(), "out/data.parquet", "zstd"),
                Arguments.of(new ParquetFileSinkFactory(), new ParquetFileSourceFactory(), "out/data.parquet", "gzip"),
                Arguments.of(new AvroFileSinkFactory(), new AvroFileSourceFactory(), "out/data.avro", "snappy"),
                Arguments.of(new AvroFileSinkFactory(), new AvroFileSourceFactory(), "out/data.avro", "deflate"));
    }

    private static List<Record> sample() {
        return List.of(
                Record.of(
                        F,
                        "Zoë",
                        42L,
                        0.1,
                        true,
                        new byte[] {0, 1, -1},
                        new BigDecimal("12345678901234567890.05"),
                        Instant.parse("2024-05-06T07:08:09.123456Z"),
                        List.of("a", "b"),
                        Map.of("k", 1L),
                        null),
                Record.of(
                        F,
                        "",
                        -7L,
                        -2.5e300,
                        false,
                        new byte[0],
                        new BigDecimal("-0.10"),
                        Instant.parse("1969-12-31T23:59:59.999999Z"),
                        List.of(),
                        Map.of(),
                        null));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void everyTypeSurvivesWriteThenRead(SinkFactory sinks, SourceFactory sources, String path, String compression)
            throws Exception {
        Harness.Collected rejected = new Harness.Collected();
        try (Sink sink = sinks.create(Harness.ctx(sinks, Map.of("path", path, "compression", compression), dir))) {
            sink.write(RecordBatch.of(sample()), rejected);
            sink.checkpoint();
        }
        assertThat(rejected.reasons).isEmpty();
        assertThat(Files.exists(dir.resolve(path))).isTrue();

        List<Record> read;
        try (Source source = sources.create(Harness.ctx(sources, Map.of("path", path), dir))) {
            read = Harness.drain(source, 100);
        }
        assertThat(read).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Record want = sample().get(i);
            Record got = read.get(i);
            assertThat(got.fields().names()).isEqualTo(F.names());
            assertThat(got.getString("name")).isEqualTo(want.getString("name"));
            assertThat(got.getLong("count")).isEqualTo(want.getLong("count"));
            assertThat(got.getDouble("ratio")).isEqualTo(want.getDouble("ratio"));
            assertThat(got.getBoolean("ok")).isEqualTo(want.getBoolean("ok"));
            assertThat(got.getBytes("blob")).isEqualTo(want.getBytes("blob"));
            // exact, and with the scale the column has (the sample's largest: 2)
            assertThat(got.get("price")).isInstanceOf(BigDecimal.class).isEqualTo(want.getDecimal("price"));
            assertThat(got.getTimestamp("at")).isEqualTo(want.getTimestamp("at"));
            assertThat(got.getList("tags")).isEqualTo(want.getList("tags"));
            assertThat(got.getMap("attrs")).isEqualTo(want.getMap("attrs"));
            assertThat(got.has("missing")).isTrue();
            assertThat(got.get("missing")).isNull();
        }
    }
}
