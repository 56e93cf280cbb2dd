package io.dataflare.polyglot.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * A record as the arguments of the driver's {@code add(nested, v0, ..., vn)}: strings, longs, doubles,
 * booleans and nulls cross as they are (the guest gets its own primitives); timestamps become ISO-8601
 * strings and bytes base64 strings; lists and maps cross as JSON text, listed in {@code nested}, which the
 * guest parses into its own arrays and objects.
 */
final class RecordEncoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordEncoder() {
    }

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

    /** {@code value} as JSON text (timestamps as ISO-8601 strings, bytes as base64). */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot hand a value to the script: " + e.getOriginalMessage(), e);
        }
    }

    private static Object plain(Object v) {
        if (v instanceof Instant t) return t.toString();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(plain(o));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof Object[] arr) return plain(Arrays.asList(arr));
        return v;
    }
}
