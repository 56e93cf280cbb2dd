package io.dataflare.polyglot.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.Failure;
import io.dataflare.json.RecordJson;
import io.dataflare.polyglot.session.GuestValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/** What script components hand to and get from the guest: records, failures, positions and states. */
final class ComponentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComponentJson() {}

    /** A plain value (a position, a checkpoint state) as JSON text. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON value: " + e.getOriginalMessage(), e);
        }
    }

    /** A batch as the JSON array of its records' fields. */
    static String records(RecordBatch batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 64 + 2).append('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(RecordJson.toJson(batch.get(i)));
        }
        return sb.append(']').toString();
    }

    /** A failure as policies get it: {@code {error_class, message, attempts, stage, plugin}}. */
    static String failure(Failure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error_class", f.errorClass());
        m.put("message", f.message());
        m.put("attempts", f.attempts());
        m.put("stage", f.stage());
        m.put("plugin", f.plugin());
        return json(m);
    }

    /**
     * The records a script returned (an array of objects / a list of dicts), or null for null / None.
     *
     * @throws IllegalArgumentException when it is not an array of records
     */
    static List<Record> records(Value v, String function) {
        if (v.isNull()) return null;
        if (!v.hasArrayElements())
            throw new IllegalArgumentException(function + "() must return an array of records or null, got " + v);
        List<Record> out = new ArrayList<>((int) Math.min(v.getArraySize(), 1 << 16));
        for (long i = 0; i < v.getArraySize(); i++) {
            Object o = GuestValues.toPlain(v.getArrayElement(i));
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(
                        function + "() returned " + o + " at index " + i + ": a record must be an object / a dict");
            }
            Record.Builder b = Record.builder();
            for (Map.Entry<?, ?> e : m.entrySet()) b.set(String.valueOf(e.getKey()), e.getValue());
            out.add(b.build());
        }
        return out;
    }
}
