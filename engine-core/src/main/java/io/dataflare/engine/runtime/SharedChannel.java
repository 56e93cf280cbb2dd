package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** One queue that all instances of a stage take from: balanced by whoever is free, no key order. */
final class SharedChannel implements Channel {
    private final BlockingQueue<Object> queue;
    private final int consumers;
    private final Producers producers;
    private final InFlight inFlight;
    private final int capacity;

    SharedChannel(int capacity, int consumers, int producers, InFlight inFlight) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.consumers = consumers;
        this.producers = new Producers(producers);
        this.inFlight = inFlight;
    }

    @Override
    public void send(RecordBatch batch, long readNanos) throws InterruptedException {
        inFlight.sent(1);
        Handoff.put(queue, new TimedBatch(batch, readNanos));
    }

    @Override
    public void control(Object marker) throws InterruptedException {
        for (int i = 0; i < consumers; i++) queue.put(marker);
    }

    @Override
    public Object poll(int instance, long timeout, TimeUnit unit) throws InterruptedException {
        return Handoff.poll(queue, timeout, unit);
    }

    @Override
    public Object take(int instance) throws InterruptedException {
        return Handoff.take(queue);
    }

    @Override
    public boolean join() {
        return producers.join();
    }

    @Override
    public void producerDone() throws InterruptedException {
        if (producers.done()) for (int i = 0; i < consumers; i++) queue.put(END);
    }

    @Override
    public int queued() {
        return queue.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }
}
