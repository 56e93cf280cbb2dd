package io.dataflare.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form of record values, used wherever DataFlare writes or reads records as JSON (the JSON-lines
 * sink and source, dead letters and replay, the WASM host's JSON batches, the script hosts, the task server's
 * API).
 *
 * <p>Writing:
 * <ul>
 *   <li>long: a JSON integer;</li>
 *   <li>double: a JSON number written with a fraction or an exponent ({@code 3.0}, {@code 1.0E20}); NaN and
 *       the infinities, which JSON cannot hold as numbers, as the strings {@code "NaN"}, {@code "Infinity"} and
 *       {@code "-Infinity"};</li>
 *   <li>decimal: a JSON number with its exact digits ({@code 10.50}), never through a double; plain digits
 *       unless the exponent is far from zero ({@code 1E+60});</li>
 *   <li>timestamp: an ISO-8601 string in UTC ({@code "2024-05-06T07:08:09.123Z"});</li>
 *   <li>bytes: a base64 string (standard alphabet, padded);</li>
 *   <li>string, boolean, null: as themselves; list: an array; map: an object (nested values alike).</li>
 * </ul>
 *
 * <p>Reading: an integer is a long (beyond the long range, a decimal); a number with a fraction or an exponent
 * is a double, or a decimal with its exact digits when read with {@link Decimals#EXACT}; strings stay strings
 * (a timestamp or bytes is known only from a type: see {@link #typeHints(Record)} and
 * {@link #restore(Object, String)}); arrays are lists and objects maps.
 *
 * @since 1.1.0
 */
public final class RecordJson {
    /** How far from zero a decimal's exponent may be for it to be written as plain digits. */
    private static final int MAX_PLAIN_SCALE = 50;

    private static final JsonFactory SHARED = newFactory();

    private RecordJson() {}

    /**
     * A JSON factory for one reader or writer (factories are thread-safe, but instances that share none keep
     * plugins apart). Root values are not separated: a JSON-lines writer ends each line itself.
     */
    public static JsonFactory newFactory() {
        return new JsonFactoryBuilder()
                .rootValueSeparator((String) null)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
    }

    /**
     * Writes one record value.
     *
     * @throws IllegalArgumentException for a value that is not a record value (see {@link FieldType})
     */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) g.writeNumber(d);
            else g.writeString(d.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Instant t) {
            g.writeString(t.toString());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(decimalText(d));
        } else if (v instanceof byte[] b) {
            g.writeBinary(b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) writeValue(g, o);
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException(
                    "not a record value: " + v.getClass().getName());
        }
    }

    /** Writes a record's fields as one JSON object, in field order. */
    public static void writeFields(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < r.size(); i++) {
            g.writeFieldName(r.fieldName(i));
            writeValue(g, r.value(i));
        }
        g.writeEndObject();
    }

    /** A decimal's JSON text: its exact digits, plain unless that would need more than 50 zeros. */
    public static String decimalText(BigDecimal d) {
        return Math.abs(d.scale()) <= MAX_PLAIN_SCALE ? d.toPlainString() : d.toString();
    }

    /** A record value as JSON text; a {@link Record} as the object of its fields. */
    public static String toJson(Object value) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = SHARED.createGenerator(w)) {
            if (value instanceof Record r) writeFields(g, r);
            else writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    /**
     * Reads the value at the parser's current token (a scalar, or a whole object or array), leaving the parser
     * on its last token.
     *
     * @param decimals how numbers with a fraction or an exponent are read
     * @throws IOException when the JSON does not parse
     */
    public static Object readValue(JsonParser p, Decimals decimals) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new IllegalStateException("the parser is on no token");
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) new BigDecimal(p.getBigIntegerValue())
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return decimals == Decimals.EXACT ? (Object) p.getDecimalValue() : (Object) p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, readValue(p, decimals));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(readValue(p, decimals));
                return l;
            }
            default:
                throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /**
     * One JSON value in {@code text} as a record value.
     *
     * @throws IOException when the text is not one JSON value
     */
    public static Object parse(String text, Decimals decimals) throws IOException {
        try (JsonParser p = SHARED.createParser(text)) {
            if (p.nextToken() == null) throw new com.fasterxml.jackson.core.JsonParseException(p, "no JSON value");
            Object v = readValue(p, decimals);
            JsonToken after = p.nextToken();
            if (after != null)
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + after + " after the value");
            return v;
        }
    }

    /**
     * The types of a record's fields whose JSON form reads back as another type: timestamps and bytes (read
     * back as strings), decimals (read back as doubles or longs) and non-finite doubles (read back as
     * strings). Written beside a record (dead letters do), it lets {@link #restore(Object, String)} give every
     * top-level field its type back. Values nested in lists and maps keep their JSON form.
     *
     * @return field name to type label ({@link FieldType#label()}), in field order; empty when JSON says it all
     */
    public static Map<String, String> typeHints(Record r) {
        Map<String, String> hints = null;
        for (int i = 0; i < r.size(); i++) {
            Object v = r.value(i);
            String label = v instanceof Instant
                    ? "timestamp"
                    : v instanceof byte[]
                            ? "bytes"
                            : v instanceof BigDecimal
                                    ? "decimal"
                                    : v instanceof Double d && !Double.isFinite(d) ? "double" : null;
            if (label != null) {
                if (hints == null) hints = new LinkedHashMap<>();
                hints.put(r.fieldName(i), label);
            }
        }
        return hints == null ? Map.of() : hints;
    }

    /**
     * A value read from JSON, given back the type a hint names (see {@link #typeHints(Record)}): the string of a
     * timestamp or bytes, the number of a decimal (read with {@link Decimals#EXACT} to keep its digits).
     *
     * @param hint a type label, or null for none (the value is returned as it is)
     * @throws IllegalArgumentException when the value does not convert to that type
     */
    public static Object restore(Object value, String hint) {
        if (hint == null || value == null) return value;
        return FieldType.fromLabel(hint).convert(value);
    }

    /**
     * The record whose fields {@code objectJson} holds (as {@link #writeFields} wrote them), each field typed as
     * {@code hints} says ({@link #typeHints(Record)} of the record written): decimals are read with their exact
     * digits, timestamps and bytes from their strings.
     *
     * @throws IOException when the text is not one JSON object
     * @throws IllegalArgumentException naming the field whose value does not convert to its hinted type
     */
    public static Record readRecord(String objectJson, Map<String, String> hints) throws IOException {
        if (!(parse(objectJson, Decimals.DOUBLE) instanceof Map<?, ?> fields)) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "not a JSON object");
        }
        // decimals are read again with their exact digits: a double would round them
        Map<?, ?> exact = hints.containsValue("decimal") ? (Map<?, ?>) parse(objectJson, Decimals.EXACT) : Map.of();
        Record.Builder b = Record.builder();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            String name = String.valueOf(e.getKey());
            String hint = hints.get(name);
            try {
                b.set(name, restore("decimal".equals(hint) ? exact.get(name) : e.getValue(), hint));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(
                        "field '" + name + "' is not a " + hint + ": " + ex.getMessage(), ex);
            }
        }
        return b.build();
    }

    /**
     * A value that came back from a guest (a WASM module, a script) for a field that held {@code before} when it
     * went out, given that type back when JSON (or the guest's own types) could not carry it: a string for a
     * timestamp or bytes, a string or number for a decimal. A value that does not convert is kept as it is, so
     * a guest that put something else in the field keeps it.
     */
    public static Object restoreLike(Object value, Object before) {
        if (value == null || before == null || value.getClass() == before.getClass()) return value;
        boolean restorable = before instanceof BigDecimal
                ? value instanceof String || value instanceof Number
                : (before instanceof Instant || before instanceof byte[]) && value instanceof String;
        if (!restorable) return value;
        try {
            return FieldType.of(before).convert(value);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
