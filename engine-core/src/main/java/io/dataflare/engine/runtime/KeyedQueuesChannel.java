package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A channel with one queue per consumer instance, each batch split by its records' keys ({@link #keyOf}) among
 * the instances: what {@link RoutedChannel} (a key router picks the instance) and {@link KeyGroupChannel} (the
 * key group's owner does) share.
 */
abstract class KeyedQueuesChannel implements Channel {
    final BlockingQueue<Object>[] queues;
    private final String keyField;
    private final Producers producers;
    private final InFlight inFlight;

    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    KeyedQueuesChannel(int capacityPerInstance, int instances, int producers, String keyField, InFlight inFlight) {
        this.queues = new BlockingQueue[instances];
        for (int i = 0; i < instances; i++) queues[i] = new ArrayBlockingQueue<>(capacityPerInstance);
        this.keyField = keyField;
        this.producers = new Producers(producers);
        this.inFlight = inFlight;
    }

    /** The key a record is routed by: the field named in the stage's config, else the record's key. */
    final Object keyOf(Record r) {
        return keyField == null ? r.key() : r.get(keyField);
    }

    /** A part of a batch of {@code size} records for one of {@code n} instances. */
    static RecordBatch.Builder part(int size, int n) {
        return RecordBatch.builder(size / n + 16);
    }

    /** Hands each instance its part (null: none), counted in flight first. */
    final void sendParts(RecordBatch.Builder[] parts, long readNanos) throws InterruptedException {
        int sent = 0;
        for (RecordBatch.Builder p : parts) {
            if (p != null) sent++;
        }
        inFlight.sent(sent);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) Handoff.put(queues[i], new TimedBatch(parts[i].build(), readNanos));
        }
    }

    /** Called with each item an instance takes off its queue (a batch, a marker or {@link #END}). */
    void taken(Object item) {}

    @Override
    public void control(Object marker) throws InterruptedException {
        for (BlockingQueue<Object> q : queues) q.put(marker);
    }

    @Override
    public Object poll(int instance, long timeout, TimeUnit unit) throws InterruptedException {
        Object item = Handoff.poll(queues[instance], timeout, unit);
        taken(item);
        return item;
    }

    @Override
    public Object take(int instance) throws InterruptedException {
        Object item = Handoff.take(queues[instance]);
        taken(item);
        return item;
    }

    @Override
    public boolean join() {
        return producers.join();
    }

    @Override
    public void producerDone() throws InterruptedException {
        if (producers.done()) for (BlockingQueue<Object> q : queues) q.put(END);
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
