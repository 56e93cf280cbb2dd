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

    static Object[] args(Record r) {
        int n = r.size();
        Object[] a = new Object[n + 1];
        int[] nested = null;
        int nn = 0;
        for (int j = 0; j < n; j++) {
            Object v = r.value(j);
            if (v instanceof Instant t) {
                v = t.toString();
            } else if (v instanceof byte[] b) {
                v = Base64.getEncoder().encodeToString(b);
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
