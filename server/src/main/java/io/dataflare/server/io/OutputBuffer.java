package io.dataflare.server.io;

import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a task's {@code memory} sink wrote: a ring of the last {@code capacity} records, each numbered by its
 * offset (0 for the first record the sink ever wrote, across runs). Readers page through it with an offset
 * and a limit; subscribers hear of every record as it is written.
 */
public final class OutputBuffer {
    /** Hears of each record written; called on the sink's thread, so it must not block. */
    @FunctionalInterface
    public interface Listener {
        void written(String sink, long offset, Record record);
    }

    /**
     * One page of output.
     *
     * @param offset     the offset of the first record returned
     * @param nextOffset the offset to ask for next
     * @param total      records written so far (the offset the next one gets)
     * @param dropped    records between the asked offset and {@code offset} that the ring no longer holds
     * @param offsets    the offset of each record returned (consecutive unless some were {@linkplain #remove removed})
     */
    public record Page(
            List<Record> records, long offset, long nextOffset, long total, long dropped, List<Long> offsets) {}

    private final String sink;
    private final Record[] ring;
    private final Listener listener;
    private long total;
    /** The first offset this buffer ever held (after a restart: where the numbering went on). */
    private long floor;

    /** A buffer for sink {@code sink} keeping the last {@code capacity} records. */
    public OutputBuffer(String sink, int capacity, Listener listener) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.sink = sink;
        this.ring = new Record[capacity];
        this.listener = listener;
    }

    public String sink() {
        return sink;
    }

    public int capacity() {
        return ring.length;
    }

    /** Appends records, numbering them on from {@link #total()}. */
    public void append(List<Record> records) {
        for (Record r : records) {
            long offset;
            synchronized (this) {
                offset = total++;
                ring[(int) (offset % ring.length)] = r;
            }
            listener.written(sink, offset, r);
        }
    }

    /** Records written so far. */
    public synchronized long total() {
        return total;
    }

    /** The oldest offset still held. */
    public synchronized long first() {
        return Math.max(floor, total - ring.length);
    }

    /** Up to {@code limit} records from {@code offset} on (negative: the oldest held). */
    public synchronized Page read(long offset, int limit) {
        long first = first();
        long from = offset < 0 ? first : Math.max(offset, first);
        long dropped = offset < 0 ? 0 : Math.max(0, Math.min(first, total) - offset);
        List<Record> out = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long o = from;
        for (; o < total && out.size() < limit; o++) {
            Record r = ring[(int) (o % ring.length)];
            if (r == null) continue; // removed (a dead letter put back into its task)
            out.add(r);
            offsets.add(o);
        }
        long start = Math.min(from, total);
        return new Page(out, start, Math.max(start, o), total, dropped, offsets);
    }

    /**
     * The records still held at {@code offsets}, by offset (the ones not held any more left out), in order.
     */
    public synchronized SortedMap<Long, Record> held(Collection<Long> offsets) {
        SortedMap<Long, Record> out = new TreeMap<>();
        long first = first();
        for (long o : offsets) {
            if (o < first || o >= total) continue;
            Record r = ring[(int) (o % ring.length)];
            if (r != null) out.put(o, r);
        }
        return out;
    }

    /** Every record still held, by offset. */
    public synchronized SortedMap<Long, Record> held() {
        SortedMap<Long, Record> out = new TreeMap<>();
        for (long o = first(); o < total; o++) {
            Record r = ring[(int) (o % ring.length)];
            if (r != null) out.put(o, r);
        }
        return out;
    }

    /**
     * Forgets the records at {@code offsets} (dead letters put back into their task): reads skip them; the
     * numbering and {@link #total()} (a checkpoint's state) stay as they are.
     */
    public synchronized void remove(Collection<Long> offsets) {
        long first = first();
        for (long o : offsets) {
            if (o >= first && o < total) ring[(int) (o % ring.length)] = null;
        }
    }

    /**
     * Goes back to what a checkpoint recorded: {@code written} records. Records written after it are
     * forgotten (the run replays them); after a server restart, when the ring is empty, the numbering
     * continues from {@code written}.
     */
    public synchronized void restore(long written) {
        if (written >= total) {
            if (total == floor) { // holds nothing: the records before the checkpoint went with the process
                total = written;
                floor = written;
            }
            return;
        }
        for (long o = Math.max(written, first()); o < total; o++) ring[(int) (o % ring.length)] = null;
        total = written;
        floor = Math.min(floor, written);
    }
}
