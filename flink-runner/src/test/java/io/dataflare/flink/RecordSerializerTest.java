package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RecordSerializerTest {
    private static Record roundTrip(Record r) throws IOException {
        RecordSerializer s = new RecordSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        s.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Record first = s.deserialize(in);
        assertThat(s.deserialize(in)).isEqualTo(first);
        return first;
    }

    @Test
    void everyValueTypeKeyHeadersAndEventTimeSurviveWithTheirTypes() throws IOException {
        Record r = Record.builder()
                .set("n", null)
                .set("yes", true)
                .set("count", 42L)
                .set("ratio", 0.25)
                .set("price", new BigDecimal("10.50"))
                .set("text", "é".repeat(40_000)) // beyond writeUTF's 64 KiB
                .set("raw", new byte[] {1, 2, 3})
                .set("at", Instant.parse("2026-12-05T10:15:30.123456789Z"))
                .set("list", List.of(1L, "two", List.of(3.0)))
                .set("map", Map.of("k", Map.of("inner", false)))
                .key(7L)
                .header("source.file", "orders.csv")
                .eventTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();

        Record back = roundTrip(r);

        assertThat(back).isEqualTo(r);
        assertThat(back.get("price")).isEqualTo(new BigDecimal("10.50"));
        assertThat(back.get("count")).isInstanceOf(Long.class);
        assertThat(back.key()).isEqualTo(7L);
        assertThat(back.headers()).containsEntry("source.file", "orders.csv");
        assertThat(back.eventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void recordsHaveTheirOwnTypeInformationSoGenericTypesCanBeDisabled() {
        Configuration noGenericTypes = new Configuration();
        noGenericTypes.set(PipelineOptions.GENERIC_TYPES, false);
        SerializerConfigImpl config = new SerializerConfigImpl(noGenericTypes);
        TypeInformation<Record> info = RecordTypeInfo.INSTANCE;
        assertThat(info.createSerializer(config)).isInstanceOf(RecordSerializer.class);
        // what Flink would have done without it: a generic type, refused when generic types are disabled
        assertThatThrownBy(() -> TypeInformation.of(Record.class).createSerializer(config))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
