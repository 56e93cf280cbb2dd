package io.dataflare.engine.state.keyed;

import io.dataflare.api.state.FiredTimer;
import io.dataflare.api.state.TimeDomain;
import io.dataflare.api.state.Timers;
import io.dataflare.engine.state.KeyGroups;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@link Timers} of one processor instance. Each timer is an entry of the instance's {@link KeyedStore} (in
 * its key's key group, so it is in every checkpoint and moves with the group at a rescale); an in-memory index per
 * domain orders them by time. The index is rebuilt from the store when it was restored or key groups moved in or
 * out ({@link #invalidate}, at a barrier; the rebuild happens on the worker's thread at its next use). The
 * watermark is operator-wide state, written when the worker ends a batch ({@link #flush}).
 *
 * <p>Used by the instance's worker thread only, except {@link #invalidate}.
 */
public final class KeyedTimers implements Timers {
    static final String EVENT = "e", PROCESSING = "p";
    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::time).thenComparing(Entry::storeKey, Arrays::compareUnsigned);
    /** More timers than this at once are handed over in several calls (bounds the memory of one call). */
    private static final int MAX_FIRED = 10_000;

    private record Entry(long time, byte[] storeKey, Object key) {}

    private final KeyedStore store;
    private final Clock clock;
    private final TreeSet<Entry> event = new TreeSet<>(ORDER);
    private final TreeSet<Entry> processing = new TreeSet<>(ORDER);
    private volatile boolean stale = true;
    private long watermark = Long.MIN_VALUE;
    private boolean watermarkChanged;

    public KeyedTimers(KeyedStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The store's timers changed under the index (key groups moved): rebuild it before the next use. */
    void invalidate() {
        stale = true;
    }

    private void ensureIndex() {
        if (!stale) return;
        stale = false;
        event.clear();
        processing.clear();
        for (int g = 0; g < KeyGroups.DEFAULT_COUNT; g++) {
            load(g, EVENT, event);
            load(g, PROCESSING, processing);
        }
        byte[] wm = store.get(StateKeys.WATERMARK);
        watermark = wm == null ? Long.MIN_VALUE : ByteBuffer.wrap(wm).getLong();
        watermarkChanged = false;
    }

    private void load(int group, String domain, TreeSet<Entry> into) {
        store.scan(
                StateKeys.timerPrefix(group, domain),
                (k, v) -> into.add(new Entry(StateKeys.timerTime(k), k, StateKeys.decodeKey(v))));
    }

    @Override
    public long currentProcessingTime() {
        return clock.millis();
    }

    @Override
    public long currentWatermark() {
        ensureIndex();
        return watermark;
    }

    @Override
    public void advanceWatermark(long to) {
        ensureIndex();
        if (to <= watermark) return;
        watermark = to;
        watermarkChanged = true;
    }

    @Override
    public void registerProcessingTimer(Object key, long time) {
        register(PROCESSING, processing, key, time);
    }

    @Override
    public void deleteProcessingTimer(Object key, long time) {
        delete(PROCESSING, processing, key, time);
    }

    @Override
    public void registerEventTimer(Object key, long time) {
        register(EVENT, event, key, time);
    }

    @Override
    public void deleteEventTimer(Object key, long time) {
        delete(EVENT, event, key, time);
    }

    @Override
    public List<FiredTimer> takeDueEventTimers() {
        ensureIndex();
        List<FiredTimer> out = new ArrayList<>();
        take(event, watermark, TimeDomain.EVENT_TIME, out);
        return out;
    }

    private void register(String domain, TreeSet<Entry> index, Object key, long time) {
        if (key == null) throw new IllegalArgumentException("a timer's key is null");
        ensureIndex();
        byte[] k = StateKeys.timer(domain, key, time);
        Entry e = new Entry(time, k, StateKeys.decodeKey(StateKeys.encodeKey(key)));
        if (index.add(e)) store.put(k, StateKeys.encodeKey(key));
    }

    private void delete(String domain, TreeSet<Entry> index, Object key, long time) {
        if (key == null) return;
        ensureIndex();
        byte[] k = StateKeys.timer(domain, key, time);
        if (index.remove(new Entry(time, k, null))) store.delete(k);
    }

    /** The time of the earliest processing-time timer; {@link Long#MIN_VALUE} when the index must be rebuilt first. */
    public long nextProcessingTime() {
        if (stale) return Long.MIN_VALUE;
        return processing.isEmpty() ? Long.MAX_VALUE : processing.first().time();
    }

    /**
     * Removes the timers due now (processing-time ones up to the clock, event-time ones up to the watermark) and
     * returns them in time order.
     */
    public List<FiredTimer> takeDue() {
        ensureIndex();
        List<FiredTimer> out = new ArrayList<>();
        take(event, watermark, TimeDomain.EVENT_TIME, out);
        take(processing, clock.millis(), TimeDomain.PROCESSING_TIME, out);
        out.sort(Comparator.comparingLong(FiredTimer::time));
        return out;
    }

    /** The input has ended: the watermark goes to the end of time, so every event-time timer is due. */
    public void endOfInput() {
        advanceWatermark(Long.MAX_VALUE);
    }

    private void take(TreeSet<Entry> index, long upTo, TimeDomain domain, List<FiredTimer> out) {
        while (!index.isEmpty() && index.first().time() <= upTo && out.size() < MAX_FIRED) {
            Entry e = index.pollFirst();
            store.delete(e.storeKey());
            out.add(new FiredTimer(e.key(), e.time(), domain));
        }
    }

    /** Writes the watermark if it moved (between batches: checkpoints see it with the state it belongs to). */
    public void flush() {
        if (!watermarkChanged) return;
        store.put(StateKeys.WATERMARK, ByteBuffer.allocate(8).putLong(watermark).array());
        watermarkChanged = false;
    }
}
