package io.dataflare.plugins.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not Parquet/Avro, records that do not fit the columns and bad options, each named. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void aCsvFileGivenToTheParquetSourceIsRefusedBeforeTheRunNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("orders.csv"), "id,name\n1,a\n");
        var f = new ParquetFileSourceFactory();
        assertThatThrownBy(() -> f.preflight(Harness.ctx(f, Map.of("path", "orders.csv"), dir)))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("path"))
                .hasMessageContaining("orders.csv is not a Parquet file");
        var a = new AvroFileSourceFactory();
        assertThatThrownBy(() -> a.preflight(Harness.ctx(a, Map.of("path", "*.csv"), dir)))
                .hasMessageContaining("orders.csv is not an Avro file");
    }

    @Test
    void aTruncatedParquetFileFailsTheReadNamingTheFile() throws Exception {
        var sinks = new ParquetFileSinkFactory();
        try (Sink s = sinks.create(Harness.ctx(sinks, Map.of("path", "whole.parquet"), dir))) {
            s.write(RecordBatch.of(Record.of(Fields.of("id"), 1L)), new Harness.Collected());
            s.checkpoint();
        }
        byte[] whole = Files.readAllBytes(dir.resolve("whole.parquet"));
        Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length / 2));
        var f = new ParquetFileSourceFactory();
        try (Source s = f.create(Harness.ctx(f, Map.of("path", "cut.parquet"), dir))) {
            assertThatThrownBy(() -> s.poll(10))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cut.parquet cannot be read as a Parquet file");
        }
    }

    @Test
    void recordsThatDoNotFitTheColumnsAreRejectedNamingFieldAndValue() throws Exception {
        Fields fields = Fields.of("id", "price", "at");
        var f = new AvroFileSinkFactory();
        Map<String, Object> schema = new java.util.LinkedHashMap<>();
        schema.put("id", "int");
        schema.put("price", "decimal(5,2)");
        schema.put("at", "timestamp_millis");
        Harness.Collected rejected = new Harness.Collected();
        try (Sink s = f.create(Harness.ctx(f, Map.of("path", "o.avro", "schema", schema), dir))) {
            s.write(
                    RecordBatch.of(
                            Record.of(fields, 1L, new BigDecimal("1.5"), Instant.EPOCH),
                            Record.of(fields, 2L, new BigDecimal("1.234"), Instant.EPOCH),
                            Record.of(fields, 3L, new BigDecimal("12345.6"), Instant.EPOCH),
                            Record.of(fields, 5_000_000_000L, BigDecimal.ONE, Instant.EPOCH),
                            Record.of(fields, 6L, "abc", Instant.EPOCH),
                            Record.of(Fields.of("id", "extra"), 7L, "x")),
                    rejected);
            s.checkpoint();
        }
        assertThat(rejected.records).extracting(r -> r.getLong("id")).containsExactly(2L, 3L, 5_000_000_000L, 6L, 7L);
        assertThat(rejected.reasons.get(0))
                .contains("avro-file o.avro", "field 'price' value '1.234'", "decimal", "more than 2 decimal places");
        assertThat(rejected.reasons.get(1)).contains("field 'price' value '12345.6'", "more than 5 digits");
        assertThat(rejected.reasons.get(2)).contains("field 'id' value '5000000000'", "int range");
        assertThat(rejected.reasons.get(3)).contains("field 'price' value 'abc'");
        assertThat(rejected.reasons.get(4)).contains("field 'extra' is not a column of the file", "[id, price, at]");
        var src = new AvroFileSourceFactory();
        try (Source s = src.create(Harness.ctx(src, Map.of("path", "o.avro"), dir))) {
            List<Record> read = Harness.drain(s, 10);
            assertThat(read).hasSize(1);
            assertThat(read.get(0).get("price")).isEqualTo(new BigDecimal("1.50"));
        }
    }

    @Test
    void aLaterRecordThatDoesNotFitTheInferredColumnsIsRejected() throws Exception {
        Fields fields = Fields.of("id", "n");
        var f = new ParquetFileSinkFactory();
        Harness.Collected rejected = new Harness.Collected();
        try (Sink s = f.create(Harness.ctx(f, Map.of("path", "o.parquet"), dir))) {
            s.write(RecordBatch.of(Record.of(fields, 1L, 10L)), rejected);
            s.write(RecordBatch.of(Record.of(fields, 2L, "ten"), Record.of(fields, 3L, 30L)), rejected);
            s.checkpoint();
        }
        assertThat(rejected.reasons).singleElement().asString().contains("field 'n' value 'ten'", "long");
    }

    @Test
    void badOptionsNameTheOption() {
        var f = new ParquetFileSinkFactory();
        assertThatThrownBy(() -> f.validate(
                        f.configSpec().validate(Map.of("path", "o.parquet", "schema", Map.of("id", "integr")))))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("schema"))
                .hasMessageContaining("field 'id': unknown type 'integr'");
        assertThatThrownBy(() -> f.validate(
                        f.configSpec().validate(Map.of("path", "o.parquet", "schema", Map.of("a-b", "long")))))
                .hasMessageContaining("field 'a-b' cannot be a column");
        assertThatThrownBy(() -> f.validate(f.configSpec().validate(Map.of("path", "o.parquet", "compression", "lzo"))))
                .hasMessageContaining("compression");
        var src = new ParquetFileSourceFactory();
        assertThatThrownBy(() -> src.preflight(Harness.ctx(src, Map.of("path", "none/*.parquet"), dir)))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("path"))
                .hasMessageContaining("no file matches none/*.parquet");
    }
}
