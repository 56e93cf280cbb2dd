package io.dataflare.api.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The type of a plugin option. Values come from YAML/JSON/TOML, or from {@code ${ENV}} substitution
 * as strings, so each type accepts the forms a person would write: {@code LONG} accepts {@code 5} and
 * {@code "5"}, {@code BOOLEAN} accepts {@code true} and {@code "true"}, {@code STRING_LIST} accepts one
 * string as a list of one.
 *
 * @since 1.0.0
 */
public enum ConfigType {
    STRING,
    LONG,
    DOUBLE,
    BOOLEAN,
    STRING_LIST,
    LIST,
    MAP,
    ANY;

    /** The name used in manifests and error messages. */
    public String label() {
        return switch (this) {
            case STRING_LIST -> "list of strings";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The value converted to this type's Java form ({@code String}, {@code Long}, {@code Double},
     * {@code Boolean}, {@code List}, {@code Map}, or as is for {@code ANY}).
     *
     * @throws IllegalArgumentException with a message that fits after the option name
     */
    public Object coerce(Object raw) {
        if (raw == null) return null;
        switch (this) {
            case STRING:
                if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) return raw.toString();
                break;
            case LONG:
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short)
                    return ((Number) raw).longValue();
                if (raw instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
                if (raw instanceof String s) {
                    try {
                        return Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be a whole number, got \"" + s + "\"");
                    }
                }
                if (raw instanceof Number) throw new IllegalArgumentException("must be a whole number, got " + raw);
                break;
            case DOUBLE:
                if (raw instanceof BigDecimal d) return d.doubleValue();
                if (raw instanceof Number n) return n.doubleValue();
                if (raw instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be a number, got \"" + s + "\"");
                    }
                }
                break;
            case BOOLEAN:
                if (raw instanceof Boolean) return raw;
                if (raw instanceof String s) {
                    if (s.trim().equalsIgnoreCase("true")) return Boolean.TRUE;
                    if (s.trim().equalsIgnoreCase("false")) return Boolean.FALSE;
                    throw new IllegalArgumentException("must be true or false, got \"" + s + "\"");
                }
                break;
            case STRING_LIST:
                if (raw instanceof String s) return List.of(s);
                if (raw instanceof List<?> l) {
                    List<String> out = new ArrayList<>(l.size());
                    for (int i = 0; i < l.size(); i++) {
                        Object o = l.get(i);
                        if (o instanceof String || o instanceof Number || o instanceof Boolean) out.add(o.toString());
                        else
                            throw new IllegalArgumentException(
                                    "item " + (i + 1) + " must be a string, got " + describe(o));
                    }
                    return List.copyOf(out);
                }
                break;
            case LIST:
                if (raw instanceof List) return raw;
                break;
            case MAP:
                if (raw instanceof Map) return raw;
                break;
            case ANY:
                return raw;
        }
        throw new IllegalArgumentException("must be " + article() + " " + label() + ", got " + describe(raw));
    }

    private String article() {
        return this == ANY ? "" : (label().startsWith("a") || label().startsWith("i") ? "an" : "a");
    }

    static String describe(Object o) {
        if (o == null) return "nothing";
        if (o instanceof Map) return "a map";
        if (o instanceof List) return "a list";
        if (o instanceof String s) return "\"" + s + "\"";
        return o.toString();
    }
}
