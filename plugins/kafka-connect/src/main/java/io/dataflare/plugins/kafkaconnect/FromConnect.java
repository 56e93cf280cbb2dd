package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Connect data to DataFlare records. A struct value's fields become the record's fields (nested structs and maps
 * become maps, arrays lists); a schemaless map value the same; any other value one field {@code value}; a null
 * value (a tombstone) a record with no fields and the header {@code connect.tombstone}. Integers of any width
 * become longs, floats doubles, {@code Decimal} decimals, {@code Timestamp} and {@code Date} timestamps (a date
 * at midnight UTC), {@code Time} the ISO time of day as a string ({@code 10:15:30.5}), bytes bytes. The topic
 * goes to the header {@code connect.topic}, a Kafka partition to {@code connect.partition}, each Connect header
 * to {@code connect.header.<name>}, the record's timestamp to the event time.
 */
final class FromConnect {
    static final String TOPIC_HEADER = "connect.topic";
    static final String PARTITION_HEADER = "connect.partition";
    static final String TOMBSTONE_HEADER = "connect.tombstone";
    static final String HEADER_PREFIX = "connect.header.";
    static final String VALUE_FIELD = "value";

    private FromConnect() {}

    /**
     * The record for {@code r}.
     *
     * @throws IllegalArgumentException naming the field and the value when a value has no DataFlare type
     */
    static Record record(SourceRecord r) {
        Record.Builder b = Record.builder();
        Object value = value(r.valueSchema(), r.value(), VALUE_FIELD);
        if (r.value() instanceof Struct || (r.value() instanceof Map && value instanceof Map)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) value;
            for (Map.Entry<String, Object> e : fields.entrySet()) b.set(e.getKey(), e.getValue());
        } else if (r.value() != null) {
            b.set(VALUE_FIELD, value);
        } else {
            b.header(TOMBSTONE_HEADER, "true");
        }
        if (r.key() != null) b.key(value(r.keySchema(), r.key(), "key"));
        if (r.topic() != null) b.header(TOPIC_HEADER, r.topic());
        if (r.kafkaPartition() != null) b.header(PARTITION_HEADER, String.valueOf(r.kafkaPartition()));
        for (Header h : r.headers()) {
            Object v = value(h.schema(), h.value(), "header " + h.key());
            if (v != null) b.header(HEADER_PREFIX + h.key(), (String) FieldType.STRING.convert(v));
        }
        if (r.timestamp() != null) b.eventTime(Instant.ofEpochMilli(r.timestamp()));
        return b.build();
    }

    /**
     * The DataFlare value of a Connect value with its schema (null when schemaless).
     *
     * @param path where the value is, for the error message ({@code value.address.city})
     */
    static Object value(Schema schema, Object v, String path) {
        if (v == null) return null;
        String logical = schema == null ? null : schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    return (BigDecimal) v;
                case Date.LOGICAL_NAME, Timestamp.LOGICAL_NAME:
                    return ((java.util.Date) v).toInstant();
                case Time.LOGICAL_NAME:
                    return LocalTime.ofNanoOfDay(((java.util.Date) v).getTime() * 1_000_000L)
                            .toString();
                default:
                    break;
            }
        }
        if (v instanceof Struct s) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Field f : s.schema().fields()) {
                m.put(f.name(), value(f.schema(), s.get(f), path + "." + f.name()));
            }
            return m;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object k = value(schema == null ? null : schema.keySchema(), e.getKey(), path + " key");
                String key = k == null ? "null" : (String) FieldType.STRING.convert(k);
                m.put(key, value(schema == null ? null : schema.valueSchema(), e.getValue(), path + "." + key));
            }
            return m;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(value(schema == null ? null : schema.valueSchema(), list.get(i), path + "[" + i + "]"));
            }
            return out;
        }
        if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (v instanceof java.util.Date d) return d.toInstant();
        if (v instanceof byte[]
                || v instanceof Number
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Character) {
            return FieldType.normalize(v);
        }
        throw new IllegalArgumentException(
                "field '" + path + "': a " + v.getClass().getName() + " (" + abbreviate(v) + ") has no DataFlare type");
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
