package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** One queue that all instances of a stage take from: balanced by whoever is free, no key order. */
final class SharedChannel implements Channel {
    private final BlockingQueue<Object> queue;
    private final int consumers;
    private final AtomicInteger producers;

    SharedChannel(int capacity, int consumers, int producers) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.consumers = consumers;
        this.producers = new AtomicInteger(producers);
    }

    @Override
    public void send(RecordBatch batch) throws InterruptedException {
        queue.put(batch);
    }

    @Override
    public Object take(int instance) throws InterruptedException {
        return queue.take();
    }

    @Override
    public void producerDone() throws InterruptedException {
        if (producers.decrementAndGet() == 0) {
            for (int i = 0; i < consumers; i++) queue.put(END);
        }
    }

    @Override
    public int queued() {
        return queue.size();
    }
}
