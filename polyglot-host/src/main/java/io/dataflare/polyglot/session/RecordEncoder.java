package io.dataflare.polyglot.session;

import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * A record as the arguments of the driver's {@code add(nested, v0, ..., vn)}: strings, longs, doubles,
 * booleans and nulls cross as they are (the guest gets its own primitives); timestamps become ISO-8601
 * strings, bytes base64 strings and decimals strings of their digits; lists and maps cross as JSON text in
 * {@link RecordJson}'s form, which the guest parses into its own arrays and objects. {@code nested} lists the
 * positions of the JSON texts, and of the decimals as {@code -(position + 1)}: the Python driver makes those
 * {@code decimal.Decimal}s, the JavaScript driver leaves them strings.
 */
final class RecordEncoder {
    private RecordEncoder() {}

    /** What {@link #plain} answers for a value that crosses as text the guest parses (lists, maps, decimals). */
    static final Object NOT_PLAIN = new Object();

    /** {@code v} as it crosses when it needs no parsing in the guest, else {@link #NOT_PLAIN}. */
    static Object plain(Object v) {
        if (v instanceof Instant t) return t.toString();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        if (v instanceof BigDecimal || v instanceof List<?> || v instanceof Map<?, ?>) return NOT_PLAIN;
        return v;
    }

    static Object[] args(Record r) {
        int n = r.size();
        Object[] a = new Object[n + 1];
        int[] nested = null;
        int nn = 0;
        for (int j = 0; j < n; j++) {
            Object v = r.value(j);
            Object p = plain(v);
            if (p != NOT_PLAIN) {
                v = p;
            } else if (v instanceof BigDecimal d) {
                v = RecordJson.decimalText(d);
                if (nested == null) nested = new int[n];
                nested[nn++] = -(j + 1);
            } else if (v instanceof List<?> || v instanceof Map<?, ?>) {
                v = json(v);
                if (nested == null) nested = new int[n];
                nested[nn++] = j;
            }
            a[j + 1] = v;
        }
        if (nested != null) {
            Object[] idx = new Object[nn];
            for (int k = 0; k < nn; k++) idx[k] = nested[k];
            a[0] = ProxyArray.fromArray(idx);
        }
        return a;
    }

    /** {@code value} as JSON text, in {@link RecordJson}'s form. */
    static String json(Object value) {
        try {
            return RecordJson.toJson(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot hand a value to the script: " + e.getMessage(), e);
        }
    }
}
