package io.dataflare.flink;

import io.dataflare.api.data.Record;
import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key a keyed processor's records are placed by: the routing field's value (or the record's key when the
 * routing names no field), as a string that keeps values of different types apart ({@code 1} and {@code "1"} are
 * different keys, as they are to a local key router).
 */
final class RoutingKey implements KeySelector<Record, String> {
    private static final long serialVersionUID = 1L;
    private final String field;

    RoutingKey(String field) {
        this.field = field;
    }

    @Override
    public String getKey(Record r) {
        Object v = field == null ? r.key() : r.get(field);
        return switch (v) {
            case null -> "n";
            case String s -> "s" + s;
            case Long l -> "l" + l;
            case Double d -> "d" + d;
            case BigDecimal d -> "m" + d.stripTrailingZeros().toPlainString();
            case byte[] b -> "b" + Arrays.toString(b);
            default -> v.getClass().getSimpleName() + ":" + v;
        };
    }
}
