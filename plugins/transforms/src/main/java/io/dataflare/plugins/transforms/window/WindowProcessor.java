package io.dataflare.plugins.transforms.window;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.FiredTimer;
import io.dataflare.api.state.MapState;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.TimeDomain;
import io.dataflare.api.state.Timers;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.Expressions;
import io.dataflare.plugins.transforms.expr.RecordContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assigns records to windows, keeps each window's accumulator in keyed state (map state {@code window.acc}: key
 * to window start to accumulator) and fires windows record by record as the watermark passes their end, so that
 * results do not depend on how the input was cut into batches. Which key has a window ending when is kept as
 * event-time timers (keyed, so they move with their key group when an elastic stage rescales; the watermark is
 * the instance's): one at each window's end (fire) and one at its end plus the allowed lateness (drop); a timer
 * handles every window of its key that is due, so a timer left behind (a session merged away) does nothing.
 * Processing-time windows use the clock as the watermark and also set a processing-time timer at each window's
 * end, which wakes the instance up to fire the window while no record arrives.
 */
final class WindowProcessor implements Processor {
    static final Set<String> RESERVED = Set.of("key", "window_start", "window_end");
    private static final String END = "#end";
    private static final String FIRED = "#fired";
    private static final String NO_KEY = "";

    private final WindowSpec spec;
    private final Clock clock;
    private final MapState<Long, Object> windows;
    private final Timers timers;
    private final Map<String, CompiledExpression> derived = new LinkedHashMap<>();
    private final RecordContext exprContext;
    private final io.dataflare.api.PluginMetrics metrics;

    WindowProcessor(WindowSpec spec, PluginContext ctx) {
        this.spec = spec;
        this.clock = ctx.clock();
        this.metrics = ctx.metrics();
        this.windows = ctx.state().map("window.acc", StateType.longs(), StateType.json());
        this.timers = ctx.timers();
        Expressions engine = new Expressions(false);
        spec.derived().forEach((name, text) -> derived.put(name, engine.compile(text)));
        this.exprContext = engine.newContext();
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
        return out.build();
    }

    /** Processing-time timers wake the instance: the clock moves on; event-time ones fire their key's windows. */
    @Override
    public RecordBatch onTimers(List<FiredTimer> fired) {
        RecordBatch.Builder out = RecordBatch.builder();
        for (FiredTimer f : fired) {
            if (f.domain() == TimeDomain.PROCESSING_TIME) advance(clock.millis(), out);
            else fire(f.key(), f.time(), out);
        }
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
            windows.remove(key, s); // its timers stay and find nothing to do
        }
        for (Aggregate a : spec.aggregates()) a.add(acc, fields, t);
        acc.put(END, end);
        if (fired) acc.put(FIRED, true);
        index(key, end);
        store(key, start, acc, out);
        return true;
    }

    /**
     * Count windows: every {@code size} records of a key; start and end are the first and last record's times.
     * An open count window has an event-time timer at {@link Long#MAX_VALUE}: only the end of input reaches it.
     */
    private void addToCount(Object key, long t, Map<String, Object> fields, RecordBatch.Builder out) {
        Map<String, Object> acc = asMap(windows.get(key, 0L));
        if (acc == null) {
            acc = new LinkedHashMap<>();
            acc.put("#start", t);
            acc.put("#n", 0L);
            timers.registerEventTimer(key, Long.MAX_VALUE); // only the end of input reaches it
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
        emit(key, (Long) acc.get("#start"), t, acc, out);
    }

    /**
     * The input has ended: every window that has not fired yet fires now (also an incomplete count window), as if
     * the watermark had reached the end of time; then the state is cleared. (In a run the engine has already fired
     * the event-time timers at the end of the input; this covers a processor driven without the engine's timers.)
     */
    @Override
    public RecordBatch endOfInput() {
        RecordBatch.Builder out = RecordBatch.builder();
        advance(Long.MAX_VALUE, out);
        return out.build();
    }

    private boolean expired(long end) {
        long watermark = timers.currentWatermark();
        return watermark != Long.MIN_VALUE && end + spec.allowedLateness() <= watermark;
    }

    private Map<String, Object> accumulator(Object key, long start, long end) {
        Map<String, Object> acc = asMap(windows.get(key, start));
        if (acc != null) return acc;
        acc = new LinkedHashMap<>();
        acc.put(END, end);
        index(key, end);
        return acc;
    }

    /** Saves {@code acc}; a window that already fired (a late record within the lateness) emits an update. */
    private void store(Object key, long start, Map<String, Object> acc, RecordBatch.Builder out) {
        long end = (Long) acc.get(END);
        long watermark = timers.currentWatermark();
        if (Boolean.TRUE.equals(acc.get(FIRED)) || (watermark != Long.MIN_VALUE && end <= watermark)) {
            acc.put(FIRED, true);
            emit(key, start, end, acc, out);
            metrics.increment("window_updates", 1);
        }
        windows.put(key, start, acc);
    }

    /**
     * Moves the watermark to {@code to} (never back) and handles the timers it passed, in time order: record by
     * record, so a window fires before the next record is added.
     */
    private void advance(long to, RecordBatch.Builder out) {
        if (to <= timers.currentWatermark()) return;
        timers.advanceWatermark(to);
        for (List<FiredTimer> due = timers.takeDueEventTimers(); !due.isEmpty(); due = timers.takeDueEventTimers()) {
            for (FiredTimer f : due) fire(f.key(), f.time(), out);
        }
    }

    /**
     * The watermark reached {@code time} for {@code key}: its windows ending by then fire (once), those past their
     * lateness are dropped. At the end of time every window left fires, count windows too.
     */
    private void fire(Object key, long time, RecordBatch.Builder out) {
        boolean count = WindowSpec.COUNT.equals(spec.type());
        if (count && time != Long.MAX_VALUE) return;
        for (Map.Entry<Long, Object> e : windows.entries(key).entrySet()) {
            Map<String, Object> acc = asMap(e.getValue());
            long start = e.getKey();
            long end = (Long) acc.get(END);
            if (!count && end > time) continue;
            boolean drop = time == Long.MAX_VALUE || end + spec.allowedLateness() <= time;
            if (!Boolean.TRUE.equals(acc.get(FIRED))) {
                emit(key, count ? (Long) acc.get("#start") : start, end, acc, out);
                if (!drop) {
                    acc.put(FIRED, true);
                    windows.put(key, start, acc);
                }
            }
            if (drop) windows.remove(key, start);
        }
    }

    private void late(Record r, long t, RecordBatch.Builder out) {
        metrics.increment("late_records", 1);
        if (spec.lateToOutput()) {
            out.add(WindowFactory.LATE_OUTPUT, r);
        } else {
            out.reject(
                    r,
                    "late record: event time " + Instant.ofEpochMilli(t) + " is behind the watermark "
                            + Instant.ofEpochMilli(timers.currentWatermark()) + " by more than the allowed lateness ("
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

    /** Timers for a new window: fire at its end, drop at end + lateness; a processing-time one wakes the clock. */
    private void index(Object key, long end) {
        timers.registerEventTimer(key, end);
        if (spec.allowedLateness() > 0) timers.registerEventTimer(key, end + spec.allowedLateness());
        if (!spec.eventTime()) timers.registerProcessingTimer(key, end);
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
