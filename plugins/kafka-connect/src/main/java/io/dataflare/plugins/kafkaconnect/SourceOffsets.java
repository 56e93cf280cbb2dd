package io.dataflare.plugins.kafkaconnect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source connector's offsets, one per source partition, and their form in DataFlare's checkpoint:
 * {@code {"seq": N, "offsets": [{"partition": {...}, "offset": {...}}, ...]}}, where {@code seq} counts the
 * records produced, so that a checkpoint's commit knows which records it covers.
 *
 * <p>A checkpoint comes back from JSON, where a connector's {@code Integer} may return as a {@code Long}, or a
 * small {@code Long} as an {@code Integer}: integers are compared and handed back as {@code Long}s, as Kafka
 * Connect's own offset store (JSON too) does; null entries are left out.
 */
final class SourceOffsets {
    private final Map<Map<String, Object>, Map<String, Object>> offsets = new LinkedHashMap<>();

    /** Records {@code offset} as the latest of {@code partition}. */
    void put(Map<String, ?> partition, Map<String, ?> offset) {
        offsets.put(normalize(partition), normalize(offset));
    }

    /** The latest offset of {@code partition}, or null. */
    Map<String, Object> get(Map<String, ?> partition) {
        Map<String, Object> o = offsets.get(normalize(partition));
        return o == null ? null : new HashMap<>(o);
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** The checkpoint form after {@code seq} records. */
    Map<String, Object> toPosition(long seq) {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, Map<String, Object>> e : offsets.entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("partition", new LinkedHashMap<>(e.getKey()));
            entry.put("offset", new LinkedHashMap<>(e.getValue()));
            list.add(entry);
        }
        return Map.of("seq", seq, "offsets", list);
    }

    /**
     * The offsets of a checkpoint's position.
     *
     * @throws IllegalArgumentException when the position is not one this adapter wrote
     */
    static SourceOffsets fromPosition(Map<String, Object> position) {
        SourceOffsets o = new SourceOffsets();
        if (!(position.get("offsets") instanceof List<?> list)) {
            throw new IllegalArgumentException("not a kafka-connect checkpoint position: " + position);
        }
        for (Object e : list) {
            if (!(e instanceof Map<?, ?> m)
                    || !(m.get("partition") instanceof Map<?, ?> p)
                    || !(m.get("offset") instanceof Map<?, ?> off)) {
                throw new IllegalArgumentException("not a kafka-connect checkpoint position: " + position);
            }
            o.put(stringKeys(p), stringKeys(off));
        }
        return o;
    }

    static long seq(Map<String, Object> position) {
        return position.get("seq") instanceof Number n ? n.longValue() : 0L;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    private static Map<String, Object> normalize(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m == null) return out;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            Object v = e.getValue();
            if (v == null) continue;
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) v = ((Number) v).longValue();
            else if (v instanceof Float f) v = f.doubleValue();
            out.put(e.getKey(), v);
        }
        return out;
    }
}
