package io.dataflare.polyglot.session;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.IdentityHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Adds a batch's records to one copy of the driver before its {@code run}: runs of records of one shape with
 * plain values as columns (the driver's {@code columns(names...)(cols, n)}), the others one by one (its
 * {@code shape(names...)(nested, v0..vn)}). Keeps the generated functions per shape and the column arrays;
 * one per driver copy, so per context.
 */
final class RecordHandOver {
    private static final int MAX_SHAPES = 256;

    private final Value shape;
    private final Value columnShape;
    private final Map<Fields, Value> adders = new IdentityHashMap<>();
    private final Map<Fields, Value> columnAdders = new IdentityHashMap<>();
    private final RecordColumns columns = new RecordColumns();

    RecordHandOver(Value driver) {
        this.shape = driver.getMember("shape");
        this.columnShape = driver.getMember("columns");
    }

    /** Adds the first {@code count} records of {@code batch}; {@link #clear()} after the call that takes them. */
    void add(RecordBatch batch, int count) {
        RecordBatch b =
                count == batch.size() ? batch : RecordBatch.of(batch.records().subList(0, count));
        for (int i = 0; i < count; ) {
            Record r = b.get(i);
            int n = columnShape == null ? 0 : columns.fill(b, i);
            if (n > 0) {
                adder(columnAdders, columnShape, r.fields()).executeVoid(columns.array(), n);
                i += n;
            } else {
                adder(adders, shape, r.fields()).executeVoid(RecordEncoder.args(r));
                i++;
            }
        }
    }

    /** Drops the references to the last call's values. */
    void clear() {
        columns.clear();
    }

    private static Value adder(Map<Fields, Value> known, Value maker, Fields fields) {
        Value add = known.get(fields);
        if (add == null) {
            if (known.size() >= MAX_SHAPES) known.clear();
            add = maker.execute(fields.names().toArray());
            known.put(fields, add);
        }
        return add;
    }
}
