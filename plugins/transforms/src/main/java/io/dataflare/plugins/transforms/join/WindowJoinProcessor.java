package io.dataflare.plugins.transforms.join;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.ListState;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.StateType;
import io.dataflare.plugins.transforms.join.JoinFactory.JoinSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The windowed stream-stream join ({@code within_ms}): an inner join of two streams on a key, pairing records of
 * the two inputs that arrived within {@code within_ms} of each other (processing time). Each side's recent
 * records are buffered per key in keyed state; a record arriving on one side is emitted once per buffered record
 * of the other side. Entries older than the window are pruned when their key is next touched, and a key idle for
 * the window expires as a whole through the state's TTL, so no timer is needed.
 */
final class WindowJoinProcessor implements Processor {
    private static final String AT = "at";
    private static final String RECORD = "record";

    private final JoinSettings s;
    private final long withinMs;
    private final Clock clock;
    private final ListState<Object> left;
    private final ListState<Object> right;

    WindowJoinProcessor(JoinSettings settings, long withinMs, StateAccess state, Clock clock) {
        this.s = settings;
        this.withinMs = withinMs;
        this.clock = clock;
        Duration ttl = Duration.ofMillis(withinMs);
        this.left = state.list("join.window.stream", StateType.json(), ttl);
        this.right = state.list("join.window.table", StateType.json(), ttl);
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        long now = clock.millis();
        for (Record r : batch) {
            String input = r.header(s.inputHeader());
            boolean isLeft = s.stream().equals(input);
            if (!isLeft && !s.table().equals(input)) {
                out.reject(
                        r,
                        "join: header '" + s.inputHeader() + "' is " + (input == null ? "missing" : "'" + input + "'")
                                + "; it must name one of the inputs ('" + s.stream() + "', '" + s.table() + "')");
                continue;
            }
            String keyField = isLeft ? s.streamField() : s.tableField();
            Object key = r.get(keyField);
            if (key == null) {
                out.reject(r, "join: the record has no key field '" + keyField + "'");
                continue;
            }
            ListState<Object> mine = isLeft ? left : right;
            ListState<Object> other = isLeft ? right : left;
            for (Record o : recent(other, key, now)) {
                out.add(isLeft ? pair(r, o) : pair(o, r));
            }
            List<Object> kept = new ArrayList<>(live(mine.get(key), now));
            kept.add(Map.of(AT, now, RECORD, r.asMap()));
            mine.update(key, kept);
        }
        return out.build();
    }

    /** The other side's records of {@code key} still within the window, oldest first (pruning the rest). */
    private List<Record> recent(ListState<Object> side, Object key, long now) {
        List<Object> all = side.get(key);
        List<Object> live = live(all, now);
        if (live.size() != all.size()) side.update(key, live);
        List<Record> records = new ArrayList<>(live.size());
        for (Object e : live) {
            @SuppressWarnings("unchecked") // the entries are the Maps process() wrote
            Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) e).get(RECORD);
            records.add(Record.fromMap(m));
        }
        return records;
    }

    private List<Object> live(List<Object> entries, long now) {
        List<Object> live = new ArrayList<>(entries.size());
        for (Object e : entries) {
            long at = ((Number) ((Map<?, ?>) e).get(AT)).longValue();
            if (now - at <= withinMs) live.add(e);
        }
        return live;
    }

    /** The stream-side record with the other side's {@code fields} (all but its key when not set). */
    private Record pair(Record l, Record r) {
        Record.Builder b = l.toBuilder();
        if (s.fields() != null) {
            for (String f : s.fields()) b.set(f, r.get(f));
        } else {
            for (int i = 0; i < r.size(); i++) {
                if (!r.fieldName(i).equals(s.tableField())) b.set(r.fieldName(i), r.value(i));
            }
        }
        return b.build();
    }
}
