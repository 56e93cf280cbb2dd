package io.dataflare.flink;

import io.dataflare.api.data.Record;
import io.dataflare.engine.state.KeyGroups;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The key a keyed processor's records are placed by: the routing field's value (or the record's key when the
 * routing names no field), reduced to its DataFlare key group ({@link KeyGroups}, as a local run and the plugins'
 * keyed state compute it) and handed to Flink as a token that Flink hashes into that same key group. With the job's
 * maximum parallelism at {@link KeyGroups#DEFAULT_COUNT}, Flink's key group of a record is DataFlare's: a key's
 * records reach the instance whose key-group range holds the state the plugin keeps for that key, and Flink's
 * assignment of ranges to instances is the local one ({@link KeyGroups#instanceOf}).
 */
final class RoutingKey implements KeySelector<Record, Integer> {
    private static final long serialVersionUID = 1L;
    /** For each key group, an Integer that Flink assigns to it. */
    private static final int[] TOKENS = tokens(KeyGroups.DEFAULT_COUNT);

    private final String field;

    RoutingKey(String field) {
        this.field = field;
    }

    @Override
    public Integer getKey(Record r) {
        return TOKENS[keyGroup(field == null ? r.key() : r.get(field))];
    }

    /** The key Flink places in key group {@code group} (of {@link KeyGroups#DEFAULT_COUNT}). */
    static Integer token(int group) {
        return TOKENS[group];
    }

    /** The key group of a value, with whole numbers of every width as the Long of the same value. */
    static int keyGroup(Object key) {
        Object k = switch (key) {
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case null, default -> key;
        };
        return KeyGroups.of(k, KeyGroups.DEFAULT_COUNT);
    }

    private static int[] tokens(int groups) {
        int[] tokens = new int[groups];
        java.util.Arrays.fill(tokens, -1);
        int found = 0;
        for (int i = 0; found < groups; i++) {
            int g = KeyGroupRangeAssignment.assignToKeyGroup(i, groups);
            if (tokens[g] < 0) {
                tokens[g] = i;
                found++;
            }
        }
        return tokens;
    }
}
