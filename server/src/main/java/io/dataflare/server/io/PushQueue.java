package io.dataflare.server.io;

import io.dataflare.api.data.Record;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The queue between the HTTP API and a task's {@code push} source; it outlives the task's runs. A push is all
 * or nothing: its records are queued together once there is room for all of them, or not at all (the caller
 * answers 429 and the client retries the same body, so nothing is lost or queued twice). Records are
 * acknowledged only once queued and, with a {@link PushSpool} (a server task's queue always has one), once
 * durable in it: they become readable only then, so no run reads a record a crash could still take away.
 *
 * <p>Each record gets a sequence number. A run reads records through a {@link Reader}; what it read stays
 * here, <em>held</em>, until a checkpoint covering it is durable ({@link Reader#commit}). The next run's
 * reader starts with the held records again, in order, and its {@link Reader#seek} drops those its
 * checkpoint covers: so a run that failed or was cancelled loses nothing acknowledged. The capacity bounds
 * the unread records only (held ones wait for the next checkpoint).
 *
 * <p>Positions name the numbering they belong to: a queue made afresh (after a crash lost the one in memory)
 * numbers anew, and positions of an older numbering say nothing about its records.
 */
public final class PushQueue {
    /** Position keys, as stored in checkpoints. */
    static final String NUMBERING = "queue";

    static final String SEQ = "seq";

    /** A record and its sequence number (1 for the first record of a numbering). */
    public record Entry(long seq, Record record) {}

    /**
     * What a queue holds, to keep it across a server restart: held and unread records (in order) with their
     * numbers, and the numbering they continue.
     */
    public record Saved(String numbering, long nextSeq, List<Entry> entries) {}

    private final int capacity;
    private final ArrayDeque<Entry> unread;
    private final ArrayDeque<Entry> held = new ArrayDeque<>();
    /** Batches numbered and on their way into the spool, in order; readable once durable. */
    private final ArrayDeque<PushSpool.Batch> spooling = new ArrayDeque<>();

    private int spoolingRecords;
    private PushSpool spool;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private String numbering = UUID.randomUUID().toString();
    private long nextSeq = 1;
    private long readers;
    private long accepted;
    private long taken;
    private boolean closed;

    /** A queue holding at most {@code capacity} unread records. */
    public PushQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.unread = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** How many unread records it holds at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * Queues all of {@code batch}, waiting up to {@code timeoutMs} for room; returns false (nothing queued)
     * when there was no room in time or the queue is closed.
     *
     * @throws IllegalArgumentException when the batch is larger than the queue can ever hold
     */
    public boolean offer(Collection<Record> batch, long timeoutMs) throws InterruptedException {
        return offer(batch, timeoutMs, null);
    }

    /**
     * As {@link #offer(Collection, long)}; with a spool, returns only once the records are durable in it, and
     * {@code alongside} is written in the same transaction (the progress of an attached file).
     *
     * @throws io.dataflare.engine.state.StateStoreException when the spool could not keep them (nothing queued)
     */
    public boolean offer(Collection<Record> batch, long timeoutMs, PushSpool.Alongside alongside)
            throws InterruptedException {
        if (batch.size() > capacity) {
            throw new IllegalArgumentException(
                    batch.size() + " records are more than the queue holds (" + capacity + ")");
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        PushSpool.Batch spooled;
        PushSpool to;
        lock.lockInterruptibly();
        try {
            while (!closed && capacity - unread.size() - spoolingRecords < batch.size()) {
                if (nanos <= 0) return false;
                nanos = notFull.awaitNanos(nanos);
            }
            if (closed) return false;
            List<Entry> entries = new ArrayList<>(batch.size());
            for (Record r : batch) entries.add(new Entry(nextSeq++, r));
            if (spool == null) {
                unread.addAll(entries);
                accepted += batch.size();
                notEmpty.signal();
                return true;
            }
            to = spool;
            spooled = new PushSpool.Batch(numbering, entries, alongside);
            spooling.add(spooled);
            spoolingRecords += entries.size();
            to.enqueue(spooled); // in number order: the spool writes its batches in the order they come
        } finally {
            lock.unlock();
        }
        try {
            to.awaitDurable(spooled);
        } finally {
            publishSpooled();
        }
        return true;
    }

    /** Makes the batches that are durable readable, in order; drops the ones the spool failed to keep. */
    private void publishSpooled() {
        lock.lock();
        try {
            boolean added = false;
            while (!spooling.isEmpty() && spooling.peekFirst().done) {
                PushSpool.Batch b = spooling.pollFirst();
                spoolingRecords -= b.entries.size();
                if (b.failure == null) {
                    unread.addAll(b.entries);
                    accepted += b.entries.size();
                    added = true;
                } else {
                    notFull.signalAll();
                }
            }
            if (added) notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps every record offered from now on in {@code spool} before it is acknowledged, after putting back
     * what the spool holds (at the task's definition, before anything is offered).
     */
    public void spoolTo(PushSpool newSpool) {
        PushQueue.Saved kept = newSpool.recover();
        if (kept != null) restore(kept);
        lock.lock();
        try {
            spool = newSpool;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts back records an earlier version saved at its shutdown, and keeps them in the spool as well.
     *
     * @throws IllegalStateException when the queue holds records already
     */
    public void restoreSpooled(Saved saved) {
        restore(saved);
        PushSpool s = locked(() -> spool);
        if (s != null) s.appendNow(saved.numbering(), saved.entries());
    }

    /** Forgets everything, spooled records included (the task is deleted). */
    public void discard() {
        PushSpool s;
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
            unread.clear();
            held.clear();
            s = spool;
        } finally {
            lock.unlock();
        }
        if (s != null) s.clear();
    }

    /**
     * The reader of a new run. What earlier runs read and no checkpoint covered is read again first, in order;
     * earlier readers read nothing more (a run that ended cannot take records from the next one).
     */
    public Reader reader() {
        lock.lock();
        try {
            long id = ++readers;
            for (Iterator<Entry> it = held.descendingIterator(); it.hasNext(); ) unread.addFirst(it.next());
            held.clear();
            notEmpty.signalAll(); // an earlier reader waiting for records gives up
            return new Reader(id);
        } finally {
            lock.unlock();
        }
    }

    /** Reads the queue for one run: takes records in batches, seeks to a checkpoint, lets go of covered records. */
    public final class Reader {
        private final long id;

        private Reader(long id) {
            this.id = id;
        }

        /**
         * Takes up to {@code max} records, waiting up to {@code waitMs} for the first; an empty list when none
         * came (always, once a newer reader exists). They stay held until a checkpoint covers them.
         */
        public List<Entry> poll(int max, long waitMs) throws InterruptedException {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
            lock.lockInterruptibly();
            try {
                while (unread.isEmpty() || id != readers) {
                    if (nanos <= 0 || id != readers) return List.of();
                    nanos = notEmpty.awaitNanos(nanos);
                }
                int n = Math.min(max, unread.size());
                List<Entry> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Entry e = unread.poll();
                    held.add(e);
                    out.add(e);
                }
                taken += n;
                notFull.signalAll();
                return out;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Resumes after a checkpoint at {@code position}: drops the records it covers (they reached the sinks
         * in an earlier run); the others are read in order. A position of another numbering covers none of them.
         */
        public void seek(Map<String, Object> position) {
            release(position);
        }

        /** A durable checkpoint covers {@code position}: lets go of the held records up to it. */
        public void commit(Map<String, Object> position) {
            if (locked(() -> id == readers)) release(position); // not under the lock: the spool's trim writes
        }

        /** The position after the record numbered {@code seq}, for a batch. */
        public Map<String, Object> position(long seq) {
            return PushQueue.this.position(seq);
        }
    }

    /**
     * Drops every record (held or unread) that a durable checkpoint at {@code position} covers, e.g. after a
     * run's final checkpoint; a position of another numbering (or none) drops nothing.
     */
    public void release(Map<String, Object> position) {
        long upTo = covered(position);
        if (upTo <= 0) return;
        PushSpool s;
        lock.lock();
        try {
            while (!held.isEmpty() && held.peekFirst().seq() <= upTo) held.pollFirst();
            int before = unread.size();
            while (!unread.isEmpty() && unread.peekFirst().seq() <= upTo) unread.pollFirst();
            if (unread.size() != before) notFull.signalAll();
            s = spool;
        } finally {
            lock.unlock();
        }
        if (s != null) s.trim(upTo); // the checkpoint is durable: the spool need not keep them any more
    }

    /** The position up to which nothing here is left: a checkpoint there covers none of the records it holds. */
    public Map<String, Object> position() {
        lock.lock();
        try {
            Entry first = !held.isEmpty() ? held.peekFirst() : unread.peekFirst();
            return position(first == null ? nextSeq - 1 : first.seq() - 1);
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Object> position(long seq) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(NUMBERING, locked(() -> numbering));
        p.put(SEQ, seq);
        return p;
    }

    /** The last sequence number {@code position} covers in this queue's numbering, or 0. */
    private long covered(Map<String, Object> position) {
        if (position == null || !(position.get(SEQ) instanceof Number n)) return 0;
        return locked(() -> numbering).equals(position.get(NUMBERING)) ? n.longValue() : 0;
    }

    /** Everything it holds, held records first, with the numbering (to save it at a shutdown). */
    public Saved saved() {
        lock.lock();
        try {
            List<Entry> all = new ArrayList<>(held.size() + unread.size());
            all.addAll(held);
            all.addAll(unread);
            return new Saved(numbering, nextSeq, all);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts back what {@link #saved()} kept (at a server start, into a queue that holds nothing yet): the records
     * keep their numbers, the numbering goes on. They may exceed the capacity: pushes then wait for room.
     */
    public void restore(Saved saved) {
        lock.lock();
        try {
            if (accepted > 0 || !unread.isEmpty() || !held.isEmpty())
                throw new IllegalStateException("the queue is in use");
            numbering = saved.numbering();
            nextSeq = saved.nextSeq();
            unread.addAll(saved.entries());
            if (!unread.isEmpty()) notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over everything {@code old} holds (the task's pipeline was replaced and this stage remains): its
     * records, held ones first, with their numbers, its numbering and counts. {@code old} is closed, so a push
     * still waiting on it is refused rather than lost. The records may exceed this queue's capacity.
     */
    public void takeOver(PushQueue old) {
        if (old == this) return;
        Saved s;
        long oldAccepted;
        long oldTaken;
        PushSpool oldSpool;
        old.lock.lock();
        try {
            old.closed = true;
            old.notFull.signalAll();
            s = old.saved();
            old.held.clear();
            old.unread.clear();
            oldAccepted = old.accepted;
            oldTaken = old.taken;
            oldSpool = old.spool;
        } finally {
            old.lock.unlock();
        }
        lock.lock();
        try {
            numbering = s.numbering();
            nextSeq = s.nextSeq();
            unread.clear();
            held.clear();
            unread.addAll(s.entries());
            accepted = oldAccepted;
            taken = oldTaken;
            spool = oldSpool;
            if (!unread.isEmpty()) notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers and wakes the ones waiting (the task is being deleted or the server stops). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Accepts offers again (the task was started again). */
    public void open() {
        lock.lock();
        try {
            closed = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether offers are refused. */
    public boolean isClosed() {
        return locked(() -> closed);
    }

    /** Records waiting to be read by the source. */
    public int size() {
        return locked(unread::size);
    }

    /** Records read by a run and kept until a checkpoint covers them. */
    public int held() {
        return locked(held::size);
    }

    /** Records queued since the queue was made. */
    public long accepted() {
        return locked(() -> accepted);
    }

    /** Records taken by the source since the queue was made (again after a run that did not finish them). */
    public long taken() {
        return locked(() -> taken);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
