package io.dataflare.plugins.columnar;

import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * DataFlare field types as Avro schemas (Parquet files get theirs from the Avro schema through parquet-avro).
 * Every field is optional: a union of {@code null} and its type, with a null default.
 */
final class Schemas {
    /** The largest precision an inferred decimal gets; enough for any Java {@code long} and SQL's usual limit. */
    static final int INFERRED_PRECISION = 38;

    private static final Pattern DECIMAL = Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Schemas() {}

    /**
     * The schema the {@code schema} option declares (field → type label), in the option's order.
     *
     * @throws IllegalArgumentException naming the field whose name or type is not accepted
     */
    static Schema declared(Map<String, Object> types) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Map.Entry<String, Object> e : types.entrySet()) {
            checkName(e.getKey());
            fields.add(optionalField(e.getKey(), ofLabel(e.getKey(), String.valueOf(e.getValue()))));
        }
        return Schema.createRecord("record", null, "io.dataflare", false, fields);
    }

    /**
     * A schema for {@code sample} (the first batch a sink receives): its fields in order of first appearance,
     * each typed by its first non-null value (a field null in every record of the sample is a string; a
     * decimal gets precision 38 and the largest scale of the sample).
     *
     * @throws IllegalArgumentException naming a field whose name is not a valid Avro name
     */
    static Schema inferred(List<Record> sample) {
        Map<String, Object> firstValue = new LinkedHashMap<>();
        Map<String, Integer> scales = new LinkedHashMap<>();
        for (Record r : sample) {
            for (int i = 0; i < r.size(); i++) {
                String name = r.fieldName(i);
                Object v = r.value(i);
                if (v != null && firstValue.get(name) == null) firstValue.put(name, v);
                else firstValue.putIfAbsent(name, null);
                if (v instanceof BigDecimal d) scales.merge(name, Math.max(0, d.scale()), Math::max);
            }
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Map.Entry<String, Object> e : firstValue.entrySet()) {
            checkName(e.getKey());
            Schema type = e.getValue() instanceof BigDecimal
                    ? decimal(INFERRED_PRECISION, Math.min(scales.get(e.getKey()), INFERRED_PRECISION))
                    : ofValue(e.getValue());
            fields.add(optionalField(e.getKey(), type));
        }
        return Schema.createRecord("record", null, "io.dataflare", false, fields);
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("field '" + name
                    + "' cannot be a column: Avro and Parquet names are letters, digits and '_', not starting with a digit"
                    + " (rename it with a processor first)");
        }
    }

    private static Schema.Field optionalField(String name, Schema type) {
        return new Schema.Field(name, optional(type), null, Schema.Field.NULL_DEFAULT_VALUE);
    }

    static Schema optional(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    /** The type of one value, for inference; lists and maps by their first non-null element. */
    private static Schema ofValue(Object v) {
        if (v == null || v instanceof String) return Schema.create(Schema.Type.STRING);
        if (v instanceof Long) return Schema.create(Schema.Type.LONG);
        if (v instanceof Double) return Schema.create(Schema.Type.DOUBLE);
        if (v instanceof Boolean) return Schema.create(Schema.Type.BOOLEAN);
        if (v instanceof byte[]) return Schema.create(Schema.Type.BYTES);
        if (v instanceof Instant) return timestampMicros();
        if (v instanceof BigDecimal d) return decimal(INFERRED_PRECISION, Math.max(0, d.scale()));
        if (v instanceof List<?> list) {
            Object first = list.stream().filter(x -> x != null).findFirst().orElse(null);
            return Schema.createArray(optional(ofValue(first)));
        }
        if (v instanceof Map<?, ?> map) {
            Object first =
                    map.values().stream().filter(x -> x != null).findFirst().orElse(null);
            return Schema.createMap(optional(ofValue(first)));
        }
        throw new IllegalArgumentException(
                "no column type for a " + v.getClass().getName());
    }

    /**
     * The Avro type of a label: {@code string}, {@code long}, {@code int}, {@code double}, {@code float},
     * {@code boolean}, {@code bytes}, {@code timestamp} (microseconds), {@code timestamp_millis}, {@code date},
     * {@code decimal(P,S)}.
     */
    static Schema ofLabel(String field, String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        Matcher m = DECIMAL.matcher(l);
        if (m.matches()) {
            int precision = Integer.parseInt(m.group(1));
            int scale = Integer.parseInt(m.group(2));
            if (precision < 1 || scale > precision) {
                throw new IllegalArgumentException("field '" + field + "': " + label
                        + " needs a precision of at least 1 and a scale no larger than the precision");
            }
            return decimal(precision, scale);
        }
        return switch (l) {
            case "string" -> Schema.create(Schema.Type.STRING);
            case "long" -> Schema.create(Schema.Type.LONG);
            case "int" -> Schema.create(Schema.Type.INT);
            case "double" -> Schema.create(Schema.Type.DOUBLE);
            case "float" -> Schema.create(Schema.Type.FLOAT);
            case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
            case "bytes" -> Schema.create(Schema.Type.BYTES);
            case "timestamp" -> timestampMicros();
            case "timestamp_millis" -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case "date" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            default ->
                throw new IllegalArgumentException("field '" + field + "': unknown type '" + label
                        + "' (expected string, long, int, double, float, boolean, bytes, timestamp,"
                        + " timestamp_millis, date or decimal(P,S))");
        };
    }

    private static Schema timestampMicros() {
        return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static Schema decimal(int precision, int scale) {
        return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
    }
}
