package io.dataflare.plugins.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by the plain Avro and Parquet libraries (not by this plugin) are read with their types, and
 * files this plugin writes are read by the plain libraries with the logical types a reader expects.
 */
class InteropTest {
    private static final Schema DECIMAL_FIXED =
            LogicalTypes.decimal(9, 3).addToSchema(Schema.createFixed("amount", null, "test", 5));
    private static final Schema SCHEMA = SchemaBuilder.record("order")
            .namespace("test")
            .fields()
            .requiredInt("qty")
            .requiredFloat("weight")
            .name("amount")
            .type(DECIMAL_FIXED)
            .noDefault()
            .name("placed")
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .name("day")
            .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
            .noDefault()
            .name("status")
            .type(Schema.createEnum("status", null, "test", List.of("NEW", "PAID")))
            .noDefault()
            .name("customer")
            .type(SchemaBuilder.record("customer")
                    .fields()
                    .requiredString("name")
                    .endRecord())
            .noDefault()
            .optionalString("note")
            .endRecord();

    @TempDir
    Path dir;

    private static GenericRecord order(int i) {
        GenericRecord customer =
                new GenericData.Record(SCHEMA.getField("customer").schema());
        customer.put("name", "c" + i);
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("qty", i);
        r.put("weight", 0.1f * i);
        r.put(
                "amount",
                new Conversions.DecimalConversion()
                        .toFixed(
                                new BigDecimal("-1.234").add(BigDecimal.valueOf(i)),
                                DECIMAL_FIXED,
                                DECIMAL_FIXED.getLogicalType()));
        r.put("placed", 1_700_000_000_123L + i);
        r.put("day", 19_000 + i);
        r.put("status", new GenericData.EnumSymbol(SCHEMA.getField("status").schema(), i % 2 == 0 ? "NEW" : "PAID"));
        r.put("customer", customer);
        r.put("note", i == 0 ? null : "n" + i);
        return r;
    }

    private static void assertOrder(Record r, int i) {
        assertThat(r.fields().names())
                .containsExactly("qty", "weight", "amount", "placed", "day", "status", "customer", "note");
        assertThat(r.getLong("qty")).isEqualTo(i);
        assertThat(r.getDouble("weight")).isEqualTo(Double.parseDouble(Float.toString(0.1f * i)));
        assertThat(r.get("amount")).isEqualTo(new BigDecimal("-1.234").add(BigDecimal.valueOf(i)));
        assertThat(r.getTimestamp("placed")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L + i));
        assertThat(r.getTimestamp("day"))
                .isEqualTo(Instant.parse("2022-01-08T00:00:00Z").plusSeconds(86_400L * i));
        assertThat(r.getString("status")).isEqualTo(i % 2 == 0 ? "NEW" : "PAID");
        assertThat(r.getMap("customer")).isEqualTo(Map.of("name", "c" + i));
        assertThat(r.get("note")).isEqualTo(i == 0 ? null : "n" + i);
    }

    @Test
    void readsAnAvroFileWrittenByTheAvroLibrary() throws Exception {
        Path file = dir.resolve("orders.avro");
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            w.create(SCHEMA, file.toFile());
            for (int i = 0; i < 3; i++) w.append(order(i));
        }
        var f = new AvroFileSourceFactory();
        try (Source s = f.create(Harness.ctx(f, Map.of("path", "*.avro"), dir))) {
            List<Record> read = Harness.drain(s, 2);
            assertThat(read).hasSize(3);
            for (int i = 0; i < 3; i++) assertOrder(read.get(i), i);
        }
    }

    @Test
    void anAvroFileOfPlainValuesGivesOneFieldNamedValue() throws Exception {
        Schema longs = Schema.create(Schema.Type.LONG);
        try (DataFileWriter<Object> w = new DataFileWriter<>(new GenericDatumWriter<>(longs))) {
            w.create(longs, dir.resolve("longs.avro").toFile());
            w.append(7L);
            w.append(8L);
        }
        var f = new AvroFileSourceFactory();
        try (Source s = f.create(Harness.ctx(f, Map.of("path", "longs.avro"), dir))) {
            assertThat(Harness.drain(s, 10)).extracting(r -> r.get("value")).containsExactly(7L, 8L);
        }
    }

    @Test
    void readsAParquetFileWrittenByParquetAvro() throws Exception {
        Path file = dir.resolve("orders.parquet");
        try (ParquetWriter<GenericRecord> w =
                ColumnarFormatAccess.plainParquetWriter(new LocalOutputFile(file), SCHEMA)) {
            for (int i = 0; i < 3; i++) w.write(order(i));
        }
        var f = new ParquetFileSourceFactory();
        try (Source s = f.create(Harness.ctx(f, Map.of("path", "orders.parquet"), dir))) {
            List<Record> read = Harness.drain(s, 2);
            assertThat(read).hasSize(3);
            for (int i = 0; i < 3; i++) assertOrder(read.get(i), i);
        }
    }

    private static final Fields F = Fields.of("id", "price", "at", "day", "qty");
    private static final Map<String, Object> DECLARED =
            Map.of("id", "long", "price", "decimal(10,2)", "at", "timestamp_millis", "day", "date", "qty", "int");

    private static RecordBatch batch() {
        return RecordBatch.of(
                Record.of(
                        F,
                        1L,
                        new BigDecimal("19.9"),
                        Instant.parse("2024-05-06T07:08:09.123Z"),
                        Instant.parse("2024-05-06T00:00:00Z"),
                        3L),
                Record.of(F, 2L, null, null, null, null));
    }

    private void writeWithSink(io.dataflare.api.sink.SinkFactory f, String path) throws Exception {
        // a LinkedHashMap keeps the declared column order
        Map<String, Object> schema = new java.util.LinkedHashMap<>();
        for (String n : F.names()) schema.put(n, DECLARED.get(n));
        Harness.Collected rejected = new Harness.Collected();
        try (Sink sink = f.create(Harness.ctx(f, Map.of("path", path, "schema", schema), dir))) {
            sink.write(batch(), rejected);
            sink.checkpoint();
        }
        assertThat(rejected.reasons).isEmpty();
    }

    private static void assertPlain(List<GenericRecord> rows) {
        assertThat(rows).hasSize(2);
        GenericRecord r = rows.get(0);
        Schema s = r.getSchema();
        assertThat(s.getFields().stream().map(Schema.Field::name)).containsExactly("id", "price", "at", "day", "qty");
        Schema price = s.getField("price").schema().getTypes().get(1);
        assertThat(price.getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
        assertThat(new Conversions.DecimalConversion()
                        .fromBytes((ByteBuffer) r.get("price"), price, price.getLogicalType()))
                .isEqualTo(new BigDecimal("19.90"));
        assertThat(s.getField("at").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(r.get("at"))
                .isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z").toEpochMilli());
        assertThat(s.getField("day").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.date());
        assertThat(r.get("day")).isEqualTo(19_849);
        assertThat(r.get("qty")).isEqualTo(3);
        assertThat(rows.get(1).get("price")).isNull();
    }

    @Test
    void theAvroLibraryReadsWhatTheSinkWrites() throws Exception {
        writeWithSink(new AvroFileSinkFactory(), "o.avro");
        List<GenericRecord> rows = new ArrayList<>();
        try (DataFileReader<GenericRecord> r =
                new DataFileReader<>(dir.resolve("o.avro").toFile(), new GenericDatumReader<>())) {
            r.forEach(rows::add);
        }
        assertPlain(rows);
    }

    @Test
    void parquetAvroReadsWhatTheSinkWrites() throws Exception {
        writeWithSink(new ParquetFileSinkFactory(), "o.parquet");
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
                        new LocalInputFile(dir.resolve("o.parquet")), new PlainParquetConfiguration())
                .withDataModel(GenericData.get())
                .build()) {
            for (GenericRecord g; (g = r.read()) != null; ) rows.add(g);
        }
        assertPlain(rows);
    }
}
