package io.dataflare.api.data;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record: named, typed fields (see {@link FieldType}), an optional key, string headers (metadata
 * such as the source file and line) and an optional event time.
 *
 * <p>Records are immutable. A processor that changes a record builds a new one with
 * {@link #toBuilder()}, which copies only the value array and shares the field names, so a
 * read-modify-write of a record costs one small array copy. Byte arrays are copied on the way in (every
 * value set is normalized, see {@link FieldType#normalize(Object)}) and on the way out ({@link #get},
 * {@link #value}, {@link #getBytes}, {@link #key}, {@link #asMap}), so no plugin can change the bytes of a
 * record another one holds. Byte arrays nested in a list or map value are copied on the way in only: treat
 * them as read-only.
 *
 * <pre>{@code
 * Record r = Record.builder().set("id", 1L).set("email", "a@b.c").build();
 * Record masked = r.toBuilder().set("email", "***").build();
 * }</pre>
 *
 * @since 1.0.0
 */
public final class Record {
    private static final Object[] NO_VALUES = new Object[0];

    private final Fields fields;
    private final Object[] values;
    private final Object key;
    private final Map<String, String> headers;
    private final Instant eventTime;

    private Record(Fields fields, Object[] values, Object key, Map<String, String> headers, Instant eventTime) {
        this.fields = fields;
        this.values = values;
        this.key = key;
        this.headers = headers;
        this.eventTime = eventTime;
    }

    /** A builder for a new record with no fields. */
    public static Builder builder() {
        return new Builder(Fields.EMPTY, NO_VALUES, 0);
    }

    /**
     * A builder whose fields start as {@code fields}, all null; {@link Builder#set(int, Object)} fills
     * them by position, the fastest way to build many records of one shape.
     */
    public static Builder builder(Fields fields) {
        return new Builder(fields, new Object[fields.size()], fields.size());
    }

    /**
     * A record with these fields and values (normalized, see {@link FieldType#normalize(Object)}).
     *
     * @throws IllegalArgumentException if the counts differ or a value has no record type
     */
    public static Record of(Fields fields, Object... values) {
        if (values.length != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + values.length + " values");
        }
        Object[] v = new Object[values.length];
        for (int i = 0; i < v.length; i++) v[i] = FieldType.normalize(values[i]);
        return new Record(fields, v, null, Map.of(), null);
    }

    /** A record holding the entries of {@code map} as fields, in the map's iteration order. */
    public static Record fromMap(Map<String, ?> map) {
        Builder b = builder();
        for (Map.Entry<String, ?> e : map.entrySet()) b.set(e.getKey(), e.getValue());
        return b.build();
    }

    /** The field names, shared with other records of the same shape. */
    public Fields fields() {
        return fields;
    }

    /** The number of fields. */
    public int size() {
        return values.length;
    }

    /** The name of the field at position {@code i}. */
    public String fieldName(int i) {
        return fields.name(i);
    }

    /** The value of the field at position {@code i} (bytes as a copy). */
    public Object value(int i) {
        Object v = values[i];
        return v instanceof byte[] b ? b.clone() : v;
    }

    /** Whether the record has a field of this name (its value may still be null). */
    public boolean has(String field) {
        return fields.indexOf(field) >= 0;
    }

    /** The value of {@code field} (bytes as a copy), or null when it is absent or null. */
    public Object get(String field) {
        int i = fields.indexOf(field);
        return i < 0 ? null : value(i);
    }

    private Object raw(String field) {
        int i = fields.indexOf(field);
        return i < 0 ? null : values[i];
    }

    /** The value of {@code field} as a string (any value is rendered), or null. */
    public String getString(String field) {
        Object v = raw(field);
        if (v == null || v instanceof String) return (String) v;
        return (String) FieldType.STRING.convert(v);
    }

    /**
     * The value of {@code field} as a long, or null.
     *
     * @throws IllegalArgumentException if the value is not a long and does not convert to one
     */
    public Long getLong(String field) {
        Object v = raw(field);
        if (v == null || v instanceof Long) return (Long) v;
        return (Long) convert(field, v, FieldType.LONG);
    }

    /**
     * The value of {@code field} as a double (longs widen), or null.
     *
     * @throws IllegalArgumentException if the value does not convert to a double
     */
    public Double getDouble(String field) {
        Object v = raw(field);
        if (v == null || v instanceof Double) return (Double) v;
        return (Double) convert(field, v, FieldType.DOUBLE);
    }

    /**
     * The value of {@code field} as a boolean, or null.
     *
     * @throws IllegalArgumentException if the value does not convert to a boolean
     */
    public Boolean getBoolean(String field) {
        Object v = raw(field);
        if (v == null || v instanceof Boolean) return (Boolean) v;
        return (Boolean) convert(field, v, FieldType.BOOLEAN);
    }

    /**
     * The value of {@code field} as a timestamp, or null.
     *
     * @throws IllegalArgumentException if the value does not convert to a timestamp
     */
    public Instant getTimestamp(String field) {
        Object v = raw(field);
        if (v == null || v instanceof Instant) return (Instant) v;
        return (Instant) convert(field, v, FieldType.TIMESTAMP);
    }

    /**
     * The value of {@code field} as a decimal (longs and doubles convert exactly, strings are parsed), or
     * null.
     *
     * @throws IllegalArgumentException if the value does not convert to a decimal
     * @since 1.1.0
     */
    public BigDecimal getDecimal(String field) {
        Object v = raw(field);
        if (v == null || v instanceof BigDecimal) return (BigDecimal) v;
        return (BigDecimal) convert(field, v, FieldType.DECIMAL);
    }

    /** The value of {@code field} as bytes (a copy; strings are read as base64), or null. */
    public byte[] getBytes(String field) {
        Object v = raw(field);
        if (v == null) return null;
        if (v instanceof byte[] b) return b.clone();
        return (byte[]) convert(field, v, FieldType.BYTES);
    }

    /** The value of {@code field} as a list, or null. */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String field) {
        return (List<Object>) convert(field, raw(field), FieldType.LIST);
    }

    /** The value of {@code field} as a map, or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String field) {
        return (Map<String, Object>) convert(field, raw(field), FieldType.MAP);
    }

    private static Object convert(String field, Object v, FieldType type) {
        try {
            return type.convert(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "': " + e.getMessage(), e);
        }
    }

    /** The record key (used for routing and by keyed sinks; bytes as a copy), or null. */
    public Object key() {
        return key instanceof byte[] b ? b.clone() : key;
    }

    /** The headers: string metadata that travels with the record; never null. */
    public Map<String, String> headers() {
        return headers;
    }

    /** One header, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The event time, or null when the record has none. */
    public Instant eventTime() {
        return eventTime;
    }

    /** The fields as an unmodifiable map in field order (a new map each call; bytes as copies). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>(Math.max(4, values.length * 2));
        for (int i = 0; i < values.length; i++) m.put(fields.name(i), value(i));
        return Collections.unmodifiableMap(m);
    }

    /** A builder starting from this record's fields, key, headers and event time. */
    public Builder toBuilder() {
        // The builder copies the values only when it changes them, and then straight to their new length:
        // adding one field, the most common change, costs one array instead of three.
        Builder b = new Builder(fields, values, values.length);
        b.valuesShared = true;
        b.key = key;
        b.headers = headers;
        b.eventTime = eventTime;
        return b;
    }

    /**
     * Equal when both have the same fields (in any order) with equal values, key, headers and event time.
     * Byte arrays compare by content and decimals by numeric value ({@code 1.0} equals {@code 1.00}).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Record r) || r.values.length != values.length) return false;
        if (!valueEquals(key, r.key) || !headers.equals(r.headers) || !Objects.equals(eventTime, r.eventTime)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            int j = r.fields == fields ? i : r.fields.indexOf(fields.name(i));
            if (j < 0 || !valueEquals(values[i], r.values[j])) return false;
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        return Objects.equals(a, b);
    }

    private static int valueHash(Object v) {
        if (v instanceof byte[] b) return Arrays.hashCode(b);
        // equal decimals of different scales (1.0, 1.00) must hash alike
        if (v instanceof BigDecimal d)
            return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
        return Objects.hashCode(v);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            h += fields.name(i).hashCode() ^ valueHash(v);
        }
        return h;
    }

    /** A JSON-like rendering for logs and error messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(fields.name(i)).append('=');
            Object v = values[i];
            if (v instanceof String s) sb.append('"').append(s).append('"');
            else if (v instanceof byte[] b)
                sb.append("base64:").append(Base64.getEncoder().encodeToString(b));
            else if (v instanceof BigDecimal d) sb.append(d.toPlainString());
            else sb.append(v);
        }
        sb.append('}');
        if (key != null) sb.append(" key=").append(key);
        return sb.toString();
    }

    /**
     * Builds a {@link Record}. Values are normalized as they are set (see
     * {@link FieldType#normalize(Object)}); setting an existing field replaces its value in place,
     * setting a new one appends it. A builder is not thread-safe and may be used for one record only.
     *
     * @since 1.0.0
     */
    public static final class Builder {
        private Fields fields;
        private Object[] values;
        private int size;
        // values is still the array of the record this builder started from, which must not be written
        private boolean valuesShared;
        private Object key;
        private Map<String, String> headers = Map.of();
        private boolean headersOwned;
        private Instant eventTime;

        private Builder(Fields fields, Object[] values, int size) {
            this.fields = fields;
            this.values = values;
            this.size = size;
        }

        /** Sets {@code field} to {@code value}, which must be (or normalize to) a record value. */
        public Builder set(String field, Object value) {
            Object v = FieldType.normalize(value);
            int i = fields.indexOf(field);
            if (i >= 0) {
                writableValues()[i] = v;
                return this;
            }
            fields = fields.with(field);
            if (valuesShared) {
                values = Arrays.copyOf(values, size + 1);
                valuesShared = false;
            } else if (size == values.length) {
                values = Arrays.copyOf(values, Math.max(4, size * 2));
            }
            values[size++] = v;
            return this;
        }

        /** Sets the field at position {@code i} of the builder's fields. */
        public Builder set(int i, Object value) {
            if (i >= size) throw new IndexOutOfBoundsException("field " + i + " of " + size);
            writableValues()[i] = FieldType.normalize(value);
            return this;
        }

        private Object[] writableValues() {
            if (valuesShared) {
                values = values.clone();
                valuesShared = false;
            }
            return values;
        }

        /** Sets a long field. */
        public Builder set(String field, long value) {
            return set(field, Long.valueOf(value));
        }

        /** Sets a double field. */
        public Builder set(String field, double value) {
            return set(field, Double.valueOf(value));
        }

        /** Sets a boolean field. */
        public Builder set(String field, boolean value) {
            return set(field, Boolean.valueOf(value));
        }

        /** Removes {@code field} if present. */
        public Builder remove(String field) {
            int i = fields.indexOf(field);
            if (i < 0) return this;
            fields = fields.without(field);
            Object[] v = new Object[Math.max(size - 1, 0)];
            System.arraycopy(values, 0, v, 0, i);
            System.arraycopy(values, i + 1, v, i, size - i - 1);
            values = v;
            valuesShared = false;
            size--;
            return this;
        }

        /** Renames {@code from} to {@code to}, keeping its position; does nothing if {@code from} is absent. */
        public Builder rename(String from, String to) {
            int i = fields.indexOf(from);
            if (i < 0 || from.equals(to)) return this;
            Object v = values[i];
            remove(to);
            String[] names = fields.names().toArray(new String[0]);
            names[fields.indexOf(from)] = to;
            fields = Fields.of(names);
            writableValues()[fields.indexOf(to)] = v;
            return this;
        }

        /** Sets the record key (normalized like a field value). */
        public Builder key(Object key) {
            this.key = FieldType.normalize(key);
            return this;
        }

        /** Adds or replaces one header. */
        public Builder header(String name, String value) {
            if (!headersOwned) {
                headers = new LinkedHashMap<>(headers);
                headersOwned = true;
            }
            headers.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /** Replaces all headers. */
        public Builder headers(Map<String, String> headers) {
            this.headers = Map.copyOf(headers);
            this.headersOwned = false;
            return this;
        }

        /** Sets the event time. */
        public Builder eventTime(Instant eventTime) {
            this.eventTime = eventTime;
            return this;
        }

        /** The record. */
        public Record build() {
            Object[] v = values.length == size ? values : Arrays.copyOf(values, size);
            Map<String, String> h = headersOwned ? Collections.unmodifiableMap(headers) : headers;
            Record r = new Record(fields, v, key, h, eventTime);
            // The builder must not write into the array a built record now owns.
            values = NO_VALUES;
            valuesShared = false;
            size = 0;
            fields = Fields.EMPTY;
            headersOwned = false;
            return r;
        }
    }
}
