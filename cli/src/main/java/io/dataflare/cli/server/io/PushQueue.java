package io.dataflare.cli.server.io;

import io.dataflare.api.data.Record;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the HTTP API and a task's {@code push} source. A push is all or nothing: its
 * records are queued together once there is room for all of them, or not at all (the caller answers 429 and
 * the client retries the same body, so nothing is lost or queued twice). Records are acknowledged only once
 * queued; the source takes them out in batches.
 */
public final class PushQueue {
    private final int capacity;
    private final ArrayDeque<Record> records;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long accepted;
    private long taken;
    private boolean closed;

    /** A queue holding at most {@code capacity} records. */
    public PushQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** How many records it holds at most. */
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
        if (batch.size() > capacity) {
            throw new IllegalArgumentException(batch.size() + " records are more than the queue holds (" + capacity + ")");
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lockInterruptibly();
        try {
            while (!closed && capacity - records.size() < batch.size()) {
                if (nanos <= 0) return false;
                nanos = notFull.awaitNanos(nanos);
            }
            if (closed) return false;
            records.addAll(batch);
            accepted += batch.size();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} records, waiting up to {@code waitMs} for the first; an empty list when none came. */
    public List<Record> poll(int max, long waitMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
        lock.lockInterruptibly();
        try {
            while (records.isEmpty()) {
                if (nanos <= 0) return List.of();
                nanos = notEmpty.awaitNanos(nanos);
            }
            int n = Math.min(max, records.size());
            List<Record> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(records.poll());
            taken += n;
            notFull.signalAll();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every queued record (to keep them across a restart). */
    public List<Record> drain() {
        lock.lock();
        try {
            List<Record> out = new ArrayList<>(records);
            records.clear();
            notFull.signalAll();
            return out;
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
        return locked(() -> records.size());
    }

    /** Records queued since the queue was made. */
    public long accepted() {
        return locked(() -> accepted);
    }

    /** Records taken by the source since the queue was made. */
    public long taken() {
        return locked(() -> taken);
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
