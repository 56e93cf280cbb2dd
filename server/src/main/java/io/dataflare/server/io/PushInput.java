package io.dataflare.server.io;

import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code push} source of a task: its queue, how long a push waits for room, and the types its fields
 * are converted to.
 *
 * @param stage   the source's stage name
 * @param queue   the records waiting for the source
 * @param blockMs how long a push waits for room in a full queue before it is refused (429)
 * @param schema  field name to type, applied to every pushed record (CSV values are strings otherwise)
 */
public record PushInput(String stage, PushQueue queue, long blockMs, Map<String, FieldType> schema) {
    /** The input a push source with these (validated) options gets. */
    public static PushInput of(String stage, PluginConfig config) {
        Map<String, FieldType> schema = new LinkedHashMap<>();
        if (config.has("schema")) {
            for (Map.Entry<String, Object> e : config.getMap("schema").entrySet()) {
                schema.put(e.getKey(), FieldType.fromLabel(String.valueOf(e.getValue())));
            }
        }
        return new PushInput(
                stage,
                new PushQueue(config.getInt("capacity", PushSourceFactory.DEFAULT_CAPACITY)),
                config.getLong("block_ms", PushSourceFactory.DEFAULT_BLOCK_MS),
                Map.copyOf(schema));
    }

    /**
     * Records from plain values (JSON objects, CSV rows), typed by the schema.
     *
     * @throws IllegalArgumentException naming the record (0-based) and field whose value does not convert
     */
    public List<Record> records(List<Map<String, Object>> rows) {
        List<Record> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
            // fractions come exact and big integers whole (RowFormat): a schema type takes them as they are,
            // the others settle as doubles and decimals
            row.replaceAll((k, v) -> schema.containsKey(k) ? v : RowFormat.settle(v));
            if (!schema.isEmpty()) {
                for (Map.Entry<String, FieldType> e : schema.entrySet()) {
                    Object v = row.get(e.getKey());
                    if (v == null || v instanceof String s && s.isEmpty()) {
                        if (row.containsKey(e.getKey())) row.put(e.getKey(), null);
                        continue;
                    }
                    try {
                        row.put(e.getKey(), e.getValue().convert(v));
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException(
                                "record " + i + ": field '" + e.getKey() + "': " + ex.getMessage(), ex);
                    }
                }
            }
            try {
                out.add(Record.fromMap(row));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("record " + i + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }
}
