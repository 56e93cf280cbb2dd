package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * DataFlare values to Connect data with a schema inferred from the values themselves (a DataFlare record
 * carries no declared schema): a record becomes a {@code Struct} with one optional field per record field, a
 * map a nested struct, a list an array of its elements' one schema, a long {@code INT64}, a double
 * {@code FLOAT64}, a decimal {@code Decimal} of its scale, a timestamp {@code Timestamp}, bytes {@code BYTES}, a
 * null an optional string. A list whose elements need different schemas cannot be typed and is an error.
 */
final class ToConnect {
    private ToConnect() {}

    /** The record's fields as a struct. */
    static SchemaAndValue struct(Record r) {
        return struct(r.asMap(), "", false);
    }

    /** The record's fields as a schemaless map (Connect's JSON-like form, schema null). */
    static Map<String, Object> map(Record r) {
        return r.asMap();
    }

    /**
     * The Connect form of a DataFlare value.
     *
     * @throws IllegalArgumentException naming the field when no one schema fits the value
     */
    static SchemaAndValue value(Object v, String path) {
        return switch (FieldType.of(v)) {
            case NULL -> new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, null);
            case BOOLEAN -> new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, v);
            case LONG -> new SchemaAndValue(Schema.OPTIONAL_INT64_SCHEMA, v);
            case DOUBLE -> new SchemaAndValue(Schema.OPTIONAL_FLOAT64_SCHEMA, v);
            case STRING -> new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, v);
            case BYTES -> new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, v);
            case DECIMAL -> decimal((BigDecimal) v);
            case TIMESTAMP ->
                new SchemaAndValue(Timestamp.builder().optional().build(), java.util.Date.from((Instant) v));
            case LIST -> list((List<?>) v, path);
            case MAP -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) v;
                yield struct(m, path, true);
            }
        };
    }

    private static SchemaAndValue decimal(BigDecimal d) {
        // Connect's Decimal has no negative scale: 1E+3 is written as 1000
        BigDecimal v = d.scale() < 0 ? d.setScale(0) : d;
        return new SchemaAndValue(Decimal.builder(v.scale()).optional().build(), v);
    }

    private static SchemaAndValue struct(Map<String, Object> fields, String path, boolean optional) {
        SchemaBuilder sb = SchemaBuilder.struct();
        if (optional) sb.optional();
        List<Object> values = new ArrayList<>(fields.size());
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            SchemaAndValue f = value(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            sb.field(e.getKey(), f.schema());
            values.add(f.value());
        }
        Schema schema = sb.build();
        Struct s = new Struct(schema);
        for (int i = 0; i < values.size(); i++) s.put(schema.fields().get(i), values.get(i));
        return new SchemaAndValue(schema, s);
    }

    private static SchemaAndValue list(List<?> list, String path) {
        Schema element = null;
        List<Object> values = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            SchemaAndValue c = value(e, path + "[" + i + "]");
            values.add(c.value());
            if (e == null) continue;
            if (element == null) {
                element = c.schema();
            } else if (!element.equals(c.schema())) {
                throw new IllegalArgumentException("field '" + path + "': a list mixes " + describe(element)
                        + " and " + describe(c.schema()) + " (element " + i + ": " + e
                        + "); a Connect array has one element schema");
            }
        }
        Schema schema = SchemaBuilder.array(element == null ? Schema.OPTIONAL_STRING_SCHEMA : element)
                .optional()
                .build();
        return new SchemaAndValue(schema, values);
    }

    private static String describe(Schema s) {
        return s.name() != null ? s.name() : s.type().getName();
    }
}
