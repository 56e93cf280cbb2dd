package io.dataflare.plugins.transforms.window;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.error.InvalidRecordException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One aggregate of {@code window} ({@code name: "sum(price)"}), kept in a window's accumulator (a JSON map kept in
 * keyed state) under its name, with helper entries {@code name#n} / {@code name#t} where it needs them. Nulls and
 * missing fields are skipped, as in SQL; an aggregate of no values is null (count: 0).
 */
record Aggregate(String name, Function function, String field) {
    enum Function {
        COUNT,
        SUM,
        AVG,
        MIN,
        MAX,
        FIRST,
        LAST
    }

    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\w+)\\s*\\(\\s*([^()\\s]*)\\s*\\)\\s*");

    /** Parses {@code text} ("count()", "sum(field)", ...); null with an error naming {@code option} when wrong. */
    static Aggregate parse(String option, String name, Object text, List<ConfigError> errors) {
        Matcher m = text instanceof String s ? SYNTAX.matcher(s) : null;
        if (m == null || !m.matches()) {
            errors.add(new ConfigError(
                    option,
                    "'" + text + "' is not an aggregate: count(), sum(f), avg(f), min(f), max(f), first(f), last(f)"));
            return null;
        }
        Function f;
        try {
            f = Function.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(
                    option, "unknown aggregate '" + m.group(1) + "' (count, sum, avg, min, max, first, last)"));
            return null;
        }
        String field = m.group(2);
        if (f == Function.COUNT && !field.isEmpty()) {
            errors.add(new ConfigError(option, "count() takes no field (it counts the window's records)"));
            return null;
        }
        if (f != Function.COUNT && field.isEmpty()) {
            errors.add(new ConfigError(option, m.group(1) + "() needs a field, e.g. " + m.group(1) + "(price)"));
            return null;
        }
        return new Aggregate(name, f, field);
    }

    /** Adds the value of this aggregate's field in {@code fields} (at time {@code t}) to {@code acc}. */
    void add(Map<String, Object> acc, Map<String, Object> fields, long t) {
        if (function == Function.COUNT) {
            acc.merge(name, 1L, (a, b) -> (Long) a + (Long) b);
            return;
        }
        Object v = fields.get(field);
        if (v == null) return;
        switch (function) {
            case SUM -> acc.put(name, plus(acc.get(name), number(v)));
            case AVG -> {
                acc.put(name + "#s", plus(acc.get(name + "#s"), number(v)));
                acc.merge(name + "#n", 1L, (a, b) -> (Long) a + (Long) b);
            }
            case MIN -> acc.merge(name, v, (a, b) -> compare(a, b) <= 0 ? a : b);
            case MAX -> acc.merge(name, v, (a, b) -> compare(a, b) >= 0 ? a : b);
            case FIRST -> {
                Object at = acc.get(name + "#t");
                if (at == null || t < (Long) at) {
                    acc.put(name, v);
                    acc.put(name + "#t", t);
                }
            }
            case LAST -> {
                Object at = acc.get(name + "#t");
                if (at == null || t >= (Long) at) {
                    acc.put(name, v);
                    acc.put(name + "#t", t);
                }
            }
            case COUNT -> throw new AssertionError();
        }
    }

    /** Folds accumulator {@code other} into {@code acc} (session windows that merge). */
    void merge(Map<String, Object> acc, Map<String, Object> other) {
        Object o = other.get(name);
        switch (function) {
            case COUNT -> acc.put(name, (Long) acc.getOrDefault(name, 0L) + (Long) other.getOrDefault(name, 0L));
            case SUM -> {
                if (o != null) acc.put(name, plus(acc.get(name), o));
            }
            case AVG -> {
                Object s = other.get(name + "#s");
                if (s != null) {
                    acc.put(name + "#s", plus(acc.get(name + "#s"), s));
                    acc.put(name + "#n", (Long) acc.getOrDefault(name + "#n", 0L) + (Long) other.get(name + "#n"));
                }
            }
            case MIN -> {
                if (o != null) acc.merge(name, o, (a, b) -> compare(a, b) <= 0 ? a : b);
            }
            case MAX -> {
                if (o != null) acc.merge(name, o, (a, b) -> compare(a, b) >= 0 ? a : b);
            }
            case FIRST, LAST -> {
                Object ot = other.get(name + "#t");
                Object at = acc.get(name + "#t");
                if (ot == null) return;
                boolean take =
                        at == null || (function == Function.FIRST ? (Long) ot < (Long) at : (Long) ot >= (Long) at);
                if (take) {
                    acc.put(name, o);
                    acc.put(name + "#t", ot);
                }
            }
        }
    }

    /** This aggregate's result from {@code acc}. */
    Object result(Map<String, Object> acc) {
        return switch (function) {
            case COUNT -> acc.getOrDefault(name, 0L);
            case AVG -> {
                Object s = acc.get(name + "#s");
                if (s == null) yield null;
                long n = (Long) acc.get(name + "#n");
                yield s instanceof BigDecimal d
                        ? d.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128)
                        : ((Number) s).doubleValue() / n;
            }
            default -> acc.get(name);
        };
    }

    private Object number(Object v) {
        if (v instanceof Long || v instanceof Double || v instanceof BigDecimal) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        throw new InvalidRecordException(
                function.name().toLowerCase(java.util.Locale.ROOT) + "(" + field + "): '" + v + "' is not a number");
    }

    /** Exact where it can be: longs stay longs, a decimal makes the sum decimal, else doubles. */
    private static Object plus(Object a, Object b) {
        if (a == null) return b;
        if (a instanceof BigDecimal || b instanceof BigDecimal)
            return decimal(a).add(decimal(b));
        if (a instanceof Long x && b instanceof Long y) return Math.addExact(x, y);
        return ((Number) a).doubleValue() + ((Number) b).doubleValue();
    }

    private static BigDecimal decimal(Object n) {
        if (n instanceof BigDecimal d) return d;
        if (n instanceof Long l) return BigDecimal.valueOf(l);
        return BigDecimal.valueOf(((Number) n).doubleValue());
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // values of one field are compared as their common type
    private int compare(Object a, Object b) {
        if (a instanceof Number && b instanceof Number)
            return decimal(number(a)).compareTo(decimal(number(b)));
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) return ca.compareTo(b);
        if (a instanceof Instant || a instanceof String || a instanceof Boolean) {
            throw new InvalidRecordException(function.name().toLowerCase(java.util.Locale.ROOT) + "(" + field
                    + "): cannot compare '" + b + "' with '" + a + "'");
        }
        throw new InvalidRecordException(
                function.name().toLowerCase(java.util.Locale.ROOT) + "(" + field + "): '" + b + "' is not comparable");
    }
}
