package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.runtime.scale.KeyGroupAssignment;
import io.dataflare.engine.state.KeyGroups;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The input of an elastic stage: one queue per instance it may ever have, and each record goes to the instance
 * owning its key's key group. Only the instances in use own groups; the others wait on empty queues until a
 * rescale gives them some. The owners change only at a rescale barrier, when every queue is empty, so a key's
 * records are never split between two instances. Records without a key have no order to keep: they take turns
 * over the instances in use.
 */
final class KeyGroupChannel extends KeyedQueuesChannel {
    private final AtomicLong queuedRows = new AtomicLong();
    private final AtomicInteger turn = new AtomicInteger();
    /** Replaced (never changed in place) at a rescale barrier only. */
    private volatile int[] owners;

    private volatile int active;

    KeyGroupChannel(
            int capacityPerInstance, int maxInstances, int active, int producers, String keyField, InFlight inFlight) {
        super(capacityPerInstance, maxInstances, producers, keyField, inFlight);
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
            Object key = keyOf(r);
            int target =
                    key == null ? Math.floorMod(turn.getAndIncrement(), n) : owners[KeyGroups.of(key, owners.length)];
            if (parts[target] == null) parts[target] = part(batch.size(), n);
            parts[target].add(r);
        }
        queuedRows.addAndGet(batch.size());
        sendParts(parts, readNanos);
    }

    @Override
    void taken(Object item) {
        if (item instanceof TimedBatch b) queuedRows.addAndGet(-b.batch().size());
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
}
