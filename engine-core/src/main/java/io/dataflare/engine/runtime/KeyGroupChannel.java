package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.runtime.scale.KeyGroupAssignment;
import io.dataflare.engine.state.KeyGroups;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The input of an elastic stage: one queue per instance it may ever have, and each record goes to the instance
 * owning its key's key group. Only the instances in use own groups; the others wait on empty queues until a
 * rescale gives them some. The owners change only at a rescale barrier, when every queue is empty, so a key's
 * records are never split between two instances. Records without a key have no order to keep: they take turns
 * over the instances in use.
 */
final class KeyGroupChannel implements Channel {
    private final BlockingQueue<Object>[] queues;
    private final String keyField;
    private final AtomicInteger producers;
    private final InFlight inFlight;
    private final AtomicLong queuedRows = new AtomicLong();
    private final AtomicInteger turn = new AtomicInteger();
    /** Replaced (never changed in place) at a rescale barrier only. */
    private volatile int[] owners;

    private volatile int active;

    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    KeyGroupChannel(
            int capacityPerInstance, int maxInstances, int active, int producers, String keyField, InFlight inFlight) {
        this.queues = new BlockingQueue[maxInstances];
        for (int i = 0; i < maxInstances; i++) queues[i] = new ArrayBlockingQueue<>(capacityPerInstance);
        this.keyField = keyField;
        this.producers = new AtomicInteger(producers);
        this.inFlight = inFlight;
        this.owners = KeyGroupAssignment.owners(KeyGroups.DEFAULT_COUNT, active);
        this.active = active;
    }

    @Override
    public void send(RecordBatch batch, long readNanos) throws InterruptedException {
        int[] owners = this.owners;
        int n = active;
        RecordBatch.Builder[] parts = new RecordBatch.Builder[n];
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            Object key = keyField == null ? r.key() : r.get(keyField);
            int target =
                    key == null ? Math.floorMod(turn.getAndIncrement(), n) : owners[KeyGroups.of(key, owners.length)];
            if (parts[target] == null) parts[target] = RecordBatch.builder(batch.size() / n + 16);
            parts[target].add(r);
        }
        int sent = 0;
        for (RecordBatch.Builder p : parts) {
            if (p != null) sent++;
        }
        inFlight.sent(sent);
        queuedRows.addAndGet(batch.size());
        for (int i = 0; i < n; i++) {
            if (parts[i] != null) Handoff.put(queues[i], new TimedBatch(parts[i].build(), readNanos));
        }
    }

    /** The key groups' owners now. */
    int[] owners() {
        return owners.clone();
    }

    /** Instances in use. */
    int active() {
        return active;
    }

    /** Rows waiting, all instances together. */
    long queuedRows() {
        return Math.max(0, queuedRows.get());
    }

    /**
     * Gives the key groups to {@code owners} among {@code active} instances. Only at a barrier: nothing queued or
     * being processed, no producer sending.
     */
    void reassign(int[] owners, int active) {
        if (active < 1 || active > queues.length)
            throw new IllegalArgumentException("instances must be between 1 and " + queues.length);
        this.owners = owners.clone();
        this.active = active;
    }

    @Override
    public void control(Object marker) throws InterruptedException {
        for (BlockingQueue<Object> q : queues) q.put(marker);
    }

    @Override
    public Object poll(int instance, long timeout, TimeUnit unit) throws InterruptedException {
        Object item = Handoff.poll(queues[instance], timeout, unit);
        if (item instanceof TimedBatch b) queuedRows.addAndGet(-b.batch().size());
        return item;
    }

    @Override
    public Object take(int instance) throws InterruptedException {
        Object item = Handoff.take(queues[instance]);
        if (item instanceof TimedBatch b) queuedRows.addAndGet(-b.batch().size());
        return item;
    }

    @Override
    public boolean join() {
        for (int n = producers.get(); n > 0; n = producers.get()) {
            if (producers.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    @Override
    public void producerDone() throws InterruptedException {
        if (producers.decrementAndGet() == 0) {
            for (BlockingQueue<Object> q : queues) q.put(END);
        }
    }

    @Override
    public int queued() {
        int sum = 0;
        for (BlockingQueue<Object> q : queues) sum += q.size();
        return sum;
    }

    @Override
    public int capacity() {
        int sum = 0;
        for (BlockingQueue<Object> q : queues) sum += q.size() + q.remainingCapacity();
        return sum;
    }
}
