package io.dataflare.plugins.transforms.window;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.MapState;
import io.dataflare.api.state.OperatorState;
import io.dataflare.api.state.StateType;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.Expressions;
import io.dataflare.plugins.transforms.expr.RecordContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assigns records to windows, keeps each window's accumulator in keyed state (map state {@code window.acc}: key
 * to window start to accumulator) and fires windows record by record as the watermark passes their end, so that
 * results do not depend on how the input was cut into batches. The watermark and the index of open windows
 * (which key has a window ending when) are operator state, written once per batch: checkpoints are taken between
 * batches, so a resumed run sees them consistent with the accumulators.
 */
final class WindowProcessor implements Processor {
    static final Set<String> RESERVED = Set.of("key", "window_start", "window_end");
    private static final String END = "#end";
    private static final String FIRED = "#fired";
    private static final String NO_KEY = "";

    private final WindowSpec spec;
    private final Clock clock;
    private final MapState<Long, Object> windows;
    private final OperatorState<Object> indexState;
    private final OperatorState<Long> watermarkState;
    private final Map<String, CompiledExpression> derived = new LinkedHashMap<>();
    private final RecordContext exprContext;
    private final io.dataflare.api.PluginMetrics metrics;
    /** Open windows by the time they can be dropped, then fired: end (+ lateness) to [key, start] pairs. */
    private final TreeMap<Long, List<List<Object>>> index = new TreeMap<>();

    private long watermark;
    private boolean indexChanged;

    WindowProcessor(WindowSpec spec, PluginContext ctx) {
        this.spec = spec;
        this.clock = ctx.clock();
        this.metrics = ctx.metrics();
        this.windows = ctx.state().map("window.acc", StateType.longs(), StateType.json());
        this.indexState = ctx.state().operator("window.index", StateType.json());
        this.watermarkState = ctx.state().operator("window.watermark", StateType.longs());
        Expressions engine = new Expressions(false);
        spec.derived().forEach((name, text) -> derived.put(name, engine.compile(text)));
        this.exprContext = engine.newContext();
        Long wm = watermarkState.get();
        this.watermark = wm == null ? Long.MIN_VALUE : wm;
        if (indexState.get() instanceof Map<?, ?> saved) {
            saved.forEach((end, refs) -> index.put(Long.parseLong((String) end), copy(refs)));
        }
    }

    @SuppressWarnings("unchecked") // the index is written by this class only, as lists of [key, start]
    private static List<List<Object>> copy(Object refs) {
        List<List<Object>> out = new ArrayList<>();
        for (Object r : (List<Object>) refs) out.add(new ArrayList<>((List<Object>) r));
        return out;
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            try {
                accept(r, out);
            } catch (InvalidRecordException e) {
                out.reject(r, e);
            }
        }
        saveIndex();
        return out.build();
    }

    private void accept(Record r, RecordBatch.Builder out) {
        Object key = key(r);
        long t = time(r);
        Map<String, Object> fields = r.asMap();
        if (WindowSpec.COUNT.equals(spec.type())) {
            addToCount(key, t, fields, out);
            return;
        }
        if (!spec.eventTime()) advance(t, out); // processing time: the clock is the watermark
        boolean added = WindowSpec.SESSION.equals(spec.type())
                ? addToSession(key, t, fields, out)
                : addToSlices(key, t, fields, out);
        if (!added) late(r, t, out);
        if (spec.eventTime()) advance(t - spec.maxOutOfOrder(), out);
    }

    /** Tumbling and sliding windows: every window [start, start + size) holding t whose time is not over. */
    private boolean addToSlices(Object key, long t, Map<String, Object> fields, RecordBatch.Builder out) {
        boolean added = false;
        long last = Math.floorDiv(t, spec.slide()) * spec.slide();
        for (long start = last; start > t - spec.size(); start -= spec.slide()) {
            long end = start + spec.size();
            if (expired(end)) continue;
            Map<String, Object> acc = accumulator(key, start, end);
            for (Aggregate a : spec.aggregates()) a.add(acc, fields, t);
            store(key, start, acc, out);
            added = true;
        }
        return added;
    }

    /** Session windows: [t, t + gap) merged with every session of the key it overlaps. */
    private boolean addToSession(Object key, long t, Map<String, Object> fields, RecordBatch.Builder out) {
        long start = t, end = t + spec.gap();
        if (expired(end)) return false;
        Map<String, Object> acc = new LinkedHashMap<>();
        boolean fired = false;
        for (Map.Entry<Long, Object> e : windows.entries(key).entrySet()) {
            Map<String, Object> other = asMap(e.getValue());
            long s = e.getKey(), en = (Long) other.get(END);
            if (s >= end || en <= start) continue;
            for (Aggregate a : spec.aggregates()) a.merge(acc, other);
            fired |= Boolean.TRUE.equals(other.get(FIRED));
            start = Math.min(start, s);
            end = Math.max(end, en);
            windows.remove(key, s);
            unindex(key, s, en);
        }
        for (Aggregate a : spec.aggregates()) a.add(acc, fields, t);
        acc.put(END, end);
        if (fired) acc.put(FIRED, true);
        index(key, start, end);
        store(key, start, acc, out);
        return true;
    }

    /**
     * Count windows: every {@code size} records of a key; start and end are the first and last record's times.
     * An open count window is indexed under {@link Long#MAX_VALUE} (no watermark reaches it) for the end of input.
     */
    private void addToCount(Object key, long t, Map<String, Object> fields, RecordBatch.Builder out) {
        Map<String, Object> acc = asMap(windows.get(key, 0L));
        if (acc == null) {
            acc = new LinkedHashMap<>();
            acc.put("#start", t);
            acc.put("#n", 0L);
            index(key, 0L, Long.MAX_VALUE);
        }
        for (Aggregate a : spec.aggregates()) a.add(acc, fields, t);
        long n = (Long) acc.get("#n") + 1;
        acc.put("#n", n);
        acc.put(END, t);
        if (n < spec.size()) {
            windows.put(key, 0L, acc);
            return;
        }
        windows.remove(key, 0L);
        unindex(key, 0L, Long.MAX_VALUE);
        emit(key, (Long) acc.get("#start"), t, acc, out);
    }

    /**
     * The input has ended: every window that has not fired yet fires now (also an incomplete count window), as if
     * the watermark had reached the end of time; then the state is cleared.
     */
    @Override
    public RecordBatch endOfInput() {
        RecordBatch.Builder out = RecordBatch.builder();
        for (List<List<Object>> refs : index.values()) {
            for (List<Object> ref : refs) {
                Object key = ref.get(0);
                long start = ((Number) ref.get(1)).longValue();
                Map<String, Object> acc = asMap(windows.get(key, start));
                if (acc == null) continue;
                if (!Boolean.TRUE.equals(acc.get(FIRED))) {
                    long end = (Long) acc.get(END);
                    emit(key, acc.containsKey("#start") ? (Long) acc.get("#start") : start, end, acc, out);
                }
                windows.remove(key, start);
            }
        }
        index.clear();
        indexChanged = true;
        saveIndex();
        return out.build();
    }

    private boolean expired(long end) {
        return watermark != Long.MIN_VALUE && end + spec.allowedLateness() <= watermark;
    }

    private Map<String, Object> accumulator(Object key, long start, long end) {
        Map<String, Object> acc = asMap(windows.get(key, start));
        if (acc != null) return acc;
        acc = new LinkedHashMap<>();
        acc.put(END, end);
        index(key, start, end);
        return acc;
    }

    /** Saves {@code acc}; a window that already fired (a late record within the lateness) emits an update. */
    private void store(Object key, long start, Map<String, Object> acc, RecordBatch.Builder out) {
        long end = (Long) acc.get(END);
        if (Boolean.TRUE.equals(acc.get(FIRED)) || (watermark != Long.MIN_VALUE && end <= watermark)) {
            acc.put(FIRED, true);
            emit(key, start, end, acc, out);
            metrics.increment("window_updates", 1);
        }
        windows.put(key, start, acc);
    }

    /** Moves the watermark to {@code to} (never back): fires windows it passes, drops those past their lateness. */
    private void advance(long to, RecordBatch.Builder out) {
        if (to <= watermark) return;
        long from = watermark;
        watermark = to;
        // Index keys are window ends: a window fires when the watermark reaches its end and is dropped at end +
        // lateness. Only the ends just passed can hold unfired windows: one ending at or before the old watermark
        // fired then, or on the record that opened it (see store).
        for (Map.Entry<Long, List<List<Object>>> e :
                index.subMap(from, false, watermark, true).entrySet()) {
            long end = e.getKey();
            for (List<Object> ref : e.getValue()) {
                Object key = ref.get(0);
                long start = ((Number) ref.get(1)).longValue();
                Map<String, Object> acc = asMap(windows.get(key, start));
                if (acc == null) continue;
                if (!Boolean.TRUE.equals(acc.get(FIRED))) {
                    emit(key, start, end, acc, out);
                    acc.put(FIRED, true);
                    windows.put(key, start, acc);
                }
            }
        }
        // drop what is past its lateness
        var over = index.headMap(watermark - spec.allowedLateness(), true);
        for (List<List<Object>> refs : over.values()) {
            for (List<Object> ref : refs) windows.remove(ref.get(0), ((Number) ref.get(1)).longValue());
        }
        if (!over.isEmpty()) indexChanged = true;
        over.clear();
        indexChanged = true;
    }

    private void late(Record r, long t, RecordBatch.Builder out) {
        metrics.increment("late_records", 1);
        if (spec.lateToOutput()) {
            out.add(WindowFactory.LATE_OUTPUT, r);
        } else {
            out.reject(
                    r,
                    "late record: event time " + Instant.ofEpochMilli(t) + " is behind the watermark "
                            + Instant.ofEpochMilli(watermark) + " by more than the allowed lateness ("
                            + spec.allowedLateness() + " ms)");
        }
    }

    private void emit(Object key, long start, long end, Map<String, Object> acc, RecordBatch.Builder out) {
        Record.Builder b = Record.builder()
                .set("key", NO_KEY.equals(key) && spec.key() == null ? null : key)
                .set("window_start", Instant.ofEpochMilli(start))
                .set("window_end", Instant.ofEpochMilli(end));
        for (Aggregate a : spec.aggregates()) b.set(a.name(), a.result(acc));
        Record result = b.build();
        if (!derived.isEmpty()) {
            Record.Builder withDerived = result.toBuilder();
            for (Map.Entry<String, CompiledExpression> d : derived.entrySet()) {
                exprContext.bind(result);
                withDerived.set(d.getKey(), d.getValue().evaluate(exprContext));
                result = withDerived.build();
                withDerived = result.toBuilder();
            }
        }
        if (spec.lateToOutput()) out.add(WindowFactory.RESULTS_OUTPUT, result);
        else out.add(result);
    }

    private void index(Object key, long start, long end) {
        index.computeIfAbsent(end, e -> new ArrayList<>()).add(new ArrayList<>(List.of(key, start)));
        indexChanged = true;
    }

    private void unindex(Object key, long start, long end) {
        List<List<Object>> refs = index.get(end);
        if (refs == null) return;
        refs.removeIf(ref -> ((Number) ref.get(1)).longValue() == start && sameKey(ref.get(0), key));
        if (refs.isEmpty()) index.remove(end);
        indexChanged = true;
    }

    private static boolean sameKey(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.longValue() == y.longValue();
        return a.equals(b);
    }

    private void saveIndex() {
        if (!indexChanged) return;
        Map<String, Object> saved = new LinkedHashMap<>();
        index.forEach((end, refs) -> saved.put(Long.toString(end), refs));
        indexState.put(saved);
        watermarkState.put(watermark);
        indexChanged = false;
    }

    private Object key(Record r) {
        if (spec.key() == null) return NO_KEY;
        Object k = r.get(spec.key());
        if (k == null) throw new InvalidRecordException("window key field '" + spec.key() + "' is missing or null");
        return k;
    }

    private long time(Record r) {
        if (!spec.eventTime()) return clock.millis();
        Object v = spec.timeField() == null ? r.eventTime() : r.get(spec.timeField());
        String what =
                spec.timeField() == null ? "the record's event time" : "event_time field '" + spec.timeField() + "'";
        return switch (v) {
            case null -> throw new InvalidRecordException(what + " is missing");
            case Instant i -> i.toEpochMilli();
            case Long l -> l;
            case Integer n -> n;
            case String s -> {
                try {
                    yield Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new InvalidRecordException(what + ": '" + s + "' is not an ISO-8601 instant");
                }
            }
            default -> throw new InvalidRecordException(what + ": '" + v + "' is not a time");
        };
    }

    @SuppressWarnings("unchecked") // accumulators are JSON maps written by this class
    private static Map<String, Object> asMap(Object v) {
        return v == null ? null : new LinkedHashMap<>((Map<String, Object>) v);
    }
}
