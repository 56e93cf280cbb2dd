package io.dataflare.plugins.kafkaconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Connect schemas, structs and logical types to DataFlare records and back. */
class ConnectMappingTest {
    private static final Schema ADDRESS = SchemaBuilder.struct()
            .name("Address")
            .field("city", Schema.STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    private static final Schema ORDER = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("qty", Schema.INT8_SCHEMA)
            .field("ratio", Schema.FLOAT32_SCHEMA)
            .field("paid", Schema.BOOLEAN_SCHEMA)
            .field("amount", Decimal.schema(2))
            .field("day", Date.SCHEMA)
            .field("at", Time.SCHEMA)
            .field("created", Timestamp.SCHEMA)
            .field("blob", Schema.BYTES_SCHEMA)
            .field("address", ADDRESS)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field(
                    "scores",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
            .field("lines", SchemaBuilder.array(ADDRESS).build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Struct order() {
        return new Struct(ORDER)
                .put("id", 42L)
                .put("qty", (byte) 3)
                .put("ratio", 0.5f)
                .put("paid", true)
                .put("amount", new BigDecimal("1234.50"))
                .put("day", java.util.Date.from(Instant.parse("2026-12-05T00:00:00Z")))
                .put("at", new java.util.Date(10 * 3_600_000L + 15 * 60_000L + 30_500L))
                .put("created", java.util.Date.from(Instant.parse("2026-12-05T18:01:02.003Z")))
                .put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .put("address", new Struct(ADDRESS).put("city", "Lyon").put("zip", 69001))
                .put("tags", List.of("a", "b"))
                .put("scores", Map.of("x", 7))
                .put("lines", List.of(new Struct(ADDRESS).put("city", "Oslo")));
    }

    @Test
    void aStructBecomesTypedFieldsWithNestedMapsListsAndLogicalTypes() {
        SourceRecord r = new SourceRecord(
                Map.of("file", "a"),
                Map.of("pos", 1L),
                "orders",
                null,
                Schema.STRING_SCHEMA,
                "k42",
                ORDER,
                order(),
                1_700_000_000_000L);
        r.headers().addString("origin", "shop");
        Record rec = FromConnect.record(r);

        assertThat(rec.fields().names())
                .containsExactly(
                        "id", "qty", "ratio", "paid", "amount", "day", "at", "created", "blob", "address", "tags",
                        "scores", "lines", "note");
        assertThat(rec.get("id")).isEqualTo(42L);
        assertThat(rec.get("qty")).isEqualTo(3L);
        assertThat(rec.get("ratio")).isEqualTo(0.5d);
        assertThat(rec.get("paid")).isEqualTo(true);
        assertThat(rec.get("amount")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(((BigDecimal) rec.get("amount")).scale()).isEqualTo(2);
        assertThat(rec.get("day")).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
        assertThat(rec.get("at")).isEqualTo("10:15:30.500");
        assertThat(rec.get("created")).isEqualTo(Instant.parse("2026-12-05T18:01:02.003Z"));
        assertThat((byte[]) rec.get("blob")).containsExactly(1, 2, 3);
        assertThat(rec.getMap("address")).containsEntry("city", "Lyon").containsEntry("zip", 69001L);
        assertThat(rec.getList("tags")).containsExactly("a", "b");
        assertThat(rec.getMap("scores")).containsEntry("x", 7L);
        assertThat(rec.getList("lines")).hasSize(1);
        assertThat(((Map<?, ?>) rec.getList("lines").get(0)).get("city")).isEqualTo("Oslo");
        assertThat(rec.get("note")).isNull();
        assertThat(rec.key()).isEqualTo("k42");
        assertThat(rec.header("connect.topic")).isEqualTo("orders");
        assertThat(rec.header("connect.header.origin")).isEqualTo("shop");
        assertThat(rec.eventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void schemalessValuesAndTombstones() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("n", 1);
        value.put("nested", Map.of("b", ByteBuffer.wrap(new byte[] {9})));
        Record map = FromConnect.record(new SourceRecord(null, null, "t", null, null, null, null, value));
        assertThat(map.get("n")).isEqualTo(1L);
        assertThat((byte[]) map.getMap("nested").get("b")).containsExactly(9);

        Record line =
                FromConnect.record(new SourceRecord(null, null, "t", null, null, null, Schema.STRING_SCHEMA, "a line"));
        assertThat(line.asMap()).containsExactly(Map.entry("value", "a line"));

        Record tombstone =
                FromConnect.record(new SourceRecord(null, null, "t", null, Schema.INT64_SCHEMA, 5L, null, null));
        assertThat(tombstone.size()).isZero();
        assertThat(tombstone.key()).isEqualTo(5L);
        assertThat(tombstone.header("connect.tombstone")).isEqualTo("true");
    }

    @Test
    void aValueWithNoDataFlareTypeIsAnErrorNamingTheFieldAndValue() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000007");
        SourceRecord r = new SourceRecord(null, null, "t", null, null, null, null, Map.of("ref", Map.of("id", id)));
        assertThatThrownBy(() -> FromConnect.record(r))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value.ref.id")
                .hasMessageContaining("java.util.UUID")
                .hasMessageContaining(id.toString());
    }

    @Test
    void aRecordBecomesAStructWithAnInferredSchemaAndComesBackUnchanged() {
        Record rec = Record.builder()
                .set("id", 42L)
                .set("ratio", 0.25)
                .set("name", "Ann")
                .set("amount", new BigDecimal("10.50"))
                .set("at", Instant.parse("2026-12-05T18:01:02.003Z"))
                .set("blob", new byte[] {4})
                .set("address", Map.of("city", "Lyon"))
                .set("tags", List.of("x", "y"))
                .set("none", null)
                .build();
        SchemaAndValue sv = ToConnect.struct(rec);
        Struct s = (Struct) sv.value();
        s.validate();
        assertThat(sv.schema().field("id").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(sv.schema().field("amount").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(sv.schema().field("amount").schema().parameters()).containsEntry(Decimal.SCALE_FIELD, "2");
        assertThat(sv.schema().field("at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(sv.schema().field("address").schema().type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(sv.schema().field("tags").schema().valueSchema().type()).isEqualTo(Schema.Type.STRING);

        Record back = FromConnect.record(new SourceRecord(null, null, "t", null, sv.schema(), s));
        assertThat(Record.fromMap(back.asMap())).isEqualTo(Record.fromMap(rec.asMap()));
    }

    @Test
    void aListMixingTypesCannotBeTypedAndTheErrorNamesTheField() {
        Record rec = Record.builder().set("tags", List.of(1L, "two")).build();
        assertThatThrownBy(() -> ToConnect.struct(rec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'tags'")
                .hasMessageContaining("int64 and string")
                .hasMessageContaining("two");
    }
}
