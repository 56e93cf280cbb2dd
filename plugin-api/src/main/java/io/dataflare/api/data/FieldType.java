package io.dataflare.api.data;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The types a {@link Record} field value can have, with the Java class that holds each:
 * {@code NULL} (null), {@code BOOLEAN} ({@link Boolean}), {@code LONG} ({@link Long}), {@code DOUBLE}
 * ({@link Double}), {@code STRING} ({@link String}), {@code BYTES} ({@code byte[]}), {@code TIMESTAMP}
 * ({@link Instant}), {@code LIST} ({@link List} of values), {@code MAP} ({@link Map} from string to
 * value) and {@code DECIMAL} ({@link BigDecimal}: exact decimal numbers such as amounts of money, which a
 * double would round).
 *
 * <p>{@link #normalize(Object)} turns common Java values into these (an {@code Integer} becomes a
 * {@code Long}, a {@code Float} a {@code Double}, a {@code BigInteger} beyond the long range a
 * {@code BigDecimal}...), and {@link #convert(Object)} casts a value to one type the way the {@code cast}
 * processor does (the string {@code "42"} to the long {@code 42}).
 *
 * @since 1.0.0
 */
public enum FieldType {
    /** No value. */
    NULL,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link Long}. */
    LONG,
    /** {@link Double}. */
    DOUBLE,
    /** {@link String}. */
    STRING,
    /** {@code byte[]}; records hand out copies, so a value cannot be changed through them. */
    BYTES,
    /** {@link Instant}. */
    TIMESTAMP,
    /** {@link List} of record values. */
    LIST,
    /** {@link Map} from string to record value. */
    MAP,
    /**
     * {@link BigDecimal}: an exact decimal number (its digits and scale are kept: {@code 10.50} stays
     * {@code 10.50}).
     *
     * @since 1.1.0
     */
    DECIMAL;

    /** The lower-case name used in pipeline files and manifests ({@code long}, {@code timestamp}...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a type label as written in a pipeline file ({@code string}, {@code long}, {@code int},
     * {@code double}, {@code decimal}, {@code boolean}, {@code timestamp}, {@code bytes}, {@code list},
     * {@code map}).
     *
     * @throws IllegalArgumentException naming the accepted labels when the label is unknown
     */
    public static FieldType fromLabel(String label) {
        String l = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        return switch (l) {
            case "string", "str", "text" -> STRING;
            case "long", "int", "integer" -> LONG;
            case "double", "float", "number" -> DOUBLE;
            case "decimal", "numeric" -> DECIMAL;
            case "boolean", "bool" -> BOOLEAN;
            case "timestamp", "time", "datetime" -> TIMESTAMP;
            case "bytes", "binary" -> BYTES;
            case "list", "array" -> LIST;
            case "map", "object" -> MAP;
            case "null" -> NULL;
            default ->
                throw new IllegalArgumentException("unknown type '" + label
                        + "' (expected string, long, double, decimal, boolean, timestamp, bytes, list or map)");
        };
    }

    /** The type of a normalized value. */
    public static FieldType of(Object value) {
        if (value == null) return NULL;
        if (value instanceof String) return STRING;
        if (value instanceof Long) return LONG;
        if (value instanceof Double) return DOUBLE;
        if (value instanceof Boolean) return BOOLEAN;
        if (value instanceof Instant) return TIMESTAMP;
        if (value instanceof byte[]) return BYTES;
        if (value instanceof List) return LIST;
        if (value instanceof Map) return MAP;
        if (value instanceof BigDecimal) return DECIMAL;
        throw new IllegalArgumentException(
                "not a record value: " + value.getClass().getName());
    }

    /**
     * Returns {@code value} as one of the record value classes, converting the usual Java equivalents
     * (other integral numbers to {@code Long}, or to {@code BigDecimal} beyond the long range, floating
     * numbers to {@code Double}, dates to {@code Instant}, any {@code CharSequence} to {@code String},
     * collections and maps recursively). A {@code BigDecimal} stays as it is; a {@code byte[]} is copied
     * (at any depth), so a record never shares an array its creator may still change.
     *
     * @throws IllegalArgumentException for a value with no record equivalent
     */
    public static Object normalize(Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Long
                || value instanceof Double
                || value instanceof Boolean
                || value instanceof Instant
                || value instanceof BigDecimal) {
            return value;
        }
        return convertToRecordValue(value);
    }

    // Out of normalize, so that its first test stays small enough for the JIT to inline wherever records are built:
    // most values already are record values, and a call per value showed in profiles.
    private static Object convertToRecordValue(Object value) {
        // a record keeps its own copy: the caller may go on writing into its array
        if (value instanceof byte[] b) return b.clone();
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) return f.doubleValue();
        if (value instanceof BigInteger b) {
            // beyond the long range a double would round it: keep every digit
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) new BigDecimal(b);
        }
        if (value instanceof Number n) return n.doubleValue();
        if (value instanceof CharSequence cs) return cs.toString();
        if (value instanceof Character c) return c.toString();
        if (value instanceof Date d) return d.toInstant();
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof ZonedDateTime t) return t.toInstant();
        if (value instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        if (value instanceof LocalDate d) return d.atStartOfDay(ZoneOffset.UTC).toInstant();
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, m.size() * 2));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                copy.put(String.valueOf(e.getKey()), normalize(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Iterable<?> it) {
            List<Object> copy = new ArrayList<>();
            for (Object o : it) copy.add(normalize(o));
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Object[] arr) return normalize(List.of(arr));
        throw new IllegalArgumentException(
                "a record field cannot hold a " + value.getClass().getName());
    }

    /**
     * Converts {@code value} to this type: strings are parsed ({@code "42"} to 42, {@code "true"},
     * {@code "10.50"} to the decimal 10.50, ISO-8601 or epoch-millisecond timestamps, base64 bytes),
     * numbers widen or narrow when no information is lost (a double converts to the decimal of its
     * shortest text, {@code 0.1} to 0.1; a decimal to a double is rounded to the nearest double), anything
     * converts to {@code STRING} (a decimal as its plain digits). A null stays null.
     *
     * @throws IllegalArgumentException saying why the value does not convert
     */
    public Object convert(Object value) {
        Object v = normalize(value);
        if (v == null) return null;
        switch (this) {
            case NULL:
                throw new IllegalArgumentException("only null converts to null");
            case STRING:
                if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
                if (v instanceof BigDecimal d)
                    return Math.abs(d.scale()) <= MAX_DECIMAL_SCALE ? d.toPlainString() : d.toString();
                return v instanceof String ? v : String.valueOf(v);
            case LONG:
                if (v instanceof Long) return v;
                if (v instanceof Double d) {
                    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.2e18) return d.longValue();
                    throw new IllegalArgumentException("'" + d + "' is not a whole number");
                }
                if (v instanceof Boolean b) return b ? 1L : 0L;
                if (v instanceof Instant i) return i.toEpochMilli();
                if (v instanceof BigDecimal d) {
                    try {
                        return d.longValueExact();
                    } catch (ArithmeticException e) {
                        throw new IllegalArgumentException(
                                "'" + d.toPlainString() + "' is not a whole number in the long range");
                    }
                }
                if (v instanceof String s) {
                    String t = s.trim();
                    try {
                        return Long.parseLong(t);
                    } catch (NumberFormatException e) {
                        double d;
                        try {
                            d = Double.parseDouble(t);
                        } catch (NumberFormatException e2) {
                            throw new IllegalArgumentException("'" + s + "' is not a long");
                        }
                        if (d == Math.rint(d) && Math.abs(d) < 9.2e18) return (long) d;
                        throw new IllegalArgumentException("'" + s + "' is not a whole number");
                    }
                }
                break;
            case DOUBLE:
                if (v instanceof Double) return v;
                if (v instanceof Long l) return l.doubleValue();
                if (v instanceof BigDecimal d) return d.doubleValue();
                if (v instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + s + "' is not a number");
                    }
                }
                break;
            case BOOLEAN:
                if (v instanceof Boolean) return v;
                if (v instanceof Long l && (l == 0 || l == 1)) return l == 1;
                if (v instanceof String s) {
                    switch (s.trim().toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "y", "1":
                            return Boolean.TRUE;
                        case "false", "no", "n", "0":
                            return Boolean.FALSE;
                        default:
                            throw new IllegalArgumentException("'" + s + "' is not a boolean");
                    }
                }
                break;
            case TIMESTAMP:
                if (v instanceof Instant) return v;
                if (v instanceof Long l) return Instant.ofEpochMilli(l);
                if (v instanceof String s) return parseTimestamp(s.trim());
                break;
            case BYTES:
                if (v instanceof byte[]) return v;
                if (v instanceof String s) {
                    try {
                        return Base64.getDecoder().decode(s.trim());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("'" + s + "' is not base64");
                    }
                }
                break;
            case DECIMAL:
                if (v instanceof BigDecimal) return v;
                if (v instanceof Long l) return BigDecimal.valueOf(l);
                if (v instanceof Double d) {
                    if (!Double.isFinite(d)) throw new IllegalArgumentException("'" + d + "' is not a decimal number");
                    return BigDecimal.valueOf(d);
                }
                if (v instanceof String s) return parseDecimal(s.trim());
                break;
            case LIST:
                if (v instanceof List) return v;
                break;
            case MAP:
                if (v instanceof Map) return v;
                break;
        }
        throw new IllegalArgumentException("a " + of(v).label() + " does not convert to " + label());
    }

    // The longest exponent accepted: "1e999999999" would make a number whose plain digits fill memory.
    private static final int MAX_DECIMAL_SCALE = 10_000;

    private static BigDecimal parseDecimal(String s) {
        BigDecimal d;
        try {
            d = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a decimal number");
        }
        if (Math.abs(d.scale()) > MAX_DECIMAL_SCALE) {
            throw new IllegalArgumentException("'" + s + "' has an exponent beyond " + MAX_DECIMAL_SCALE);
        }
        return d;
    }

    private static Instant parseTimestamp(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // fall through to the other accepted forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a timestamp (ISO-8601 or epoch milliseconds)");
        }
    }
}
