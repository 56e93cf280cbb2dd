package io.dataflare.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plugin's validated configuration: the stage's {@code with:} values, coerced to the types of the
 * plugin's {@link ConfigSpec}, with defaults filled in. Getters return null for an unset option that has
 * no default.
 *
 * @since 1.0.0
 */
public final class PluginConfig {
    private static final PluginConfig EMPTY = new PluginConfig(Map.of());

    private final Map<String, Object> values;

    /** A configuration holding these (already validated) values. */
    public PluginConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A configuration with nothing set. */
    public static PluginConfig empty() {
        return EMPTY;
    }

    /** Whether {@code key} has a value. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The raw value of {@code key}, or null. */
    public Object get(String key) {
        return values.get(key);
    }

    /** A string option. */
    public String getString(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    /** A string option, or {@code fallback} when unset. */
    public String getString(String key, String fallback) {
        String v = getString(key);
        return v == null ? fallback : v;
    }

    /** A long option. */
    public Long getLong(String key) {
        Object v = values.get(key);
        return v == null ? null : ((Number) v).longValue();
    }

    /** A long option, or {@code fallback} when unset. */
    public long getLong(String key, long fallback) {
        Long v = getLong(key);
        return v == null ? fallback : v;
    }

    /** An int option, or {@code fallback} when unset; values beyond the int range are an error. */
    public int getInt(String key, int fallback) {
        Long v = getLong(key);
        if (v == null) return fallback;
        return Math.toIntExact(v);
    }

    /** A double option. */
    public Double getDouble(String key) {
        Object v = values.get(key);
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** A double option, or {@code fallback} when unset. */
    public double getDouble(String key, double fallback) {
        Double v = getDouble(key);
        return v == null ? fallback : v;
    }

    /** A boolean option, or {@code fallback} when unset. */
    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    /** A list option (empty when unset). */
    @SuppressWarnings("unchecked")
    public <T> List<T> getList(String key) {
        Object v = values.get(key);
        return v == null ? List.of() : (List<T>) v;
    }

    /** A map option (empty when unset). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        Object v = values.get(key);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    /** All values, read-only. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
