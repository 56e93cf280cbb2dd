package io.dataflare.plugins.transforms.dedupe;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the first record of each key and drops the others until the key's entry expires. A duplicate does not
 * renew the entry: the window is {@code ttl} from the first record kept, so a key repeated forever still passes
 * once per window.
 */
final class DedupeProcessor implements Processor {
    private final ValueState<Long> firstSeen;
    private final List<String> fields;
    private final Clock clock;

    DedupeProcessor(StateAccess state, List<String> fields, Duration ttl, Clock clock) {
        this.firstSeen = state.value("dedupe.seen", StateType.longs(), ttl);
        this.fields = List.copyOf(fields);
        this.clock = clock;
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        for (Record r : batch) {
            Object key;
            try {
                key = keyOf(r);
            } catch (InvalidRecordException e) {
                out.reject(r, e);
                continue;
            }
            if (firstSeen.get(key) != null) continue; // a duplicate: dropped, the engine counts it as filtered
            firstSeen.put(key, clock.millis());
            out.add(r);
        }
        return out.build();
    }

    /** The record key, one field's value, or the list of several fields' values. */
    private Object keyOf(Record r) throws InvalidRecordException {
        if (fields.isEmpty()) {
            if (r.key() == null)
                throw new InvalidRecordException("dedupe: the record has no key (set 'key' to fields)");
            return r.key();
        }
        List<Object> values = new ArrayList<>(fields.size());
        for (String f : fields) {
            if (!r.has(f)) throw new InvalidRecordException("dedupe: the record has no field '" + f + "' (key)");
            values.add(r.get(f));
        }
        return values.size() == 1 && values.get(0) != null ? values.get(0) : values;
    }
}
