package io.dataflare.plugins.transforms.join;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import io.dataflare.plugins.transforms.join.JoinFactory.JoinSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies table changes to keyed state and enriches stream records with the current row of their key. Records
 * are handled in arrival order, so a stream record sees exactly the table changes that arrived before it.
 */
final class JoinProcessor implements io.dataflare.api.processor.Processor {
    private final JoinSettings s;
    private final ValueState<Object> rows;

    JoinProcessor(JoinSettings settings, StateAccess state) {
        this.s = settings;
        this.rows = state.value("join.table", StateType.json());
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        for (Record r : batch) {
            String input = r.header(s.inputHeader());
            if (s.table().equals(input)) {
                applyChange(r, out);
            } else if (s.stream().equals(input)) {
                enrich(r, out);
            } else {
                out.reject(
                        r,
                        "join: header '" + s.inputHeader() + "' is " + (input == null ? "missing" : "'" + input + "'")
                                + "; it must name the stream ('" + s.stream() + "') or the table ('" + s.table()
                                + "')");
            }
        }
        return out.build();
    }

    /** An upsert of the row of its key, or a delete ({@code op: d}, or a record holding nothing but its key). */
    private void applyChange(Record r, RecordBatch.Builder out) {
        Object key = r.get(s.tableField());
        if (key == null) {
            out.reject(r, "join: table record has no key field '" + s.tableField() + "'");
            return;
        }
        Object op = r.has(s.opField()) ? r.get(s.opField()) : null;
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < r.size(); i++) {
            String f = r.fieldName(i);
            if (f.equals(s.tableField()) || f.equals(s.opField())) continue;
            if (s.fields() == null || s.fields().contains(f)) row.put(f, r.value(i));
        }
        boolean tombstone = r.size() == 1 || "d".equals(op) || "delete".equals(op);
        if (tombstone) rows.delete(key);
        else rows.put(key, row);
        // a table change is consumed: it updates the table and emits nothing (counted as filtered)
    }

    private void enrich(Record r, RecordBatch.Builder out) {
        Object key = r.get(s.streamField());
        @SuppressWarnings("unchecked") // rows holds only the Maps applyChange put
        Map<String, Object> row = key == null ? null : (Map<String, Object>) rows.get(key);
        if (row == null) {
            switch (s.missing()) {
                case DROP -> {}
                case DEAD_LETTER ->
                    out.reject(r, "join: no '" + s.table() + "' row for " + s.streamField() + " = " + key);
                case KEEP -> out.add(withFields(r, Map.of()));
            }
            return;
        }
        out.add(withFields(r, row));
    }

    /** The record with the table's fields (null when the row lacks them, as for a kept record without a row). */
    private Record withFields(Record r, Map<String, Object> row) {
        Record.Builder b = r.toBuilder();
        if (s.fields() != null) {
            for (String f : s.fields()) b.set(f, row.get(f));
        } else {
            row.forEach(b::set);
        }
        return b.build();
    }
}
