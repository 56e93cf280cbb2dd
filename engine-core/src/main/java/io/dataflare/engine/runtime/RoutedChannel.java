package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RoutingLoad;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One queue per instance; each record goes to the instance its {@link KeyRouter} picks for its key,
 * so a router that maps a key to one instance keeps that key's records in order.
 */
final class RoutedChannel implements Channel, RoutingLoad {
    private final BlockingQueue<Object>[] queues;
    /** Replaced by a version switch only while nothing is queued, so no key's records are reordered. */
    private volatile KeyRouter router;

    /** Set once the run ended and closed the router: a router switched in after that is closed at once. */
    private boolean closed;

    private final String keyField;
    private final AtomicInteger producers;
    private final InFlight inFlight;

    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    RoutedChannel(
            int capacityPerInstance,
            int instances,
            int producers,
            KeyRouter router,
            String keyField,
            InFlight inFlight) {
        this.queues = new BlockingQueue[instances];
        for (int i = 0; i < instances; i++) queues[i] = new ArrayBlockingQueue<>(capacityPerInstance);
        this.router = router;
        this.keyField = keyField;
        this.producers = new AtomicInteger(producers);
        this.inFlight = inFlight;
    }

    @Override
    public void send(RecordBatch batch, long readNanos) throws InterruptedException {
        int n = queues.length;
        KeyRouter router = this.router;
        RecordBatch.Builder[] parts = new RecordBatch.Builder[n];
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            Object key = keyField == null ? r.key() : r.get(keyField);
            int target = router.route(key, this);
            if (target < 0 || target >= n) {
                throw new IllegalStateException("key router returned instance " + target + " of " + n);
            }
            if (parts[target] == null) parts[target] = RecordBatch.builder(batch.size() / n + 16);
            parts[target].add(r);
        }
        int sent = 0;
        for (RecordBatch.Builder p : parts) {
            if (p != null) sent++;
        }
        inFlight.sent(sent);
        for (int i = 0; i < n; i++) {
            if (parts[i] != null) Handoff.put(queues[i], new TimedBatch(parts[i].build(), readNanos));
        }
    }

    /**
     * Switches to {@code next} (another version of the key router); returns the one replaced, for the caller to
     * close. After {@link #closeRouter()} nothing routes any more: {@code next} itself is returned, to be closed.
     */
    synchronized KeyRouter router(KeyRouter next) {
        if (closed) return next;
        KeyRouter old = router;
        router = next;
        return old;
    }

    /**
     * Closes the router (when it is {@link AutoCloseable}) once the run is done with this channel: a script or
     * WASM router holds an interpreter or an instance until then. Later calls do nothing.
     */
    synchronized void closeRouter() {
        if (closed) return;
        closed = true;
        if (router instanceof AutoCloseable c) StageAssembler.closeQuietly(c);
    }

    @Override
    public void control(Object marker) throws InterruptedException {
        for (BlockingQueue<Object> q : queues) q.put(marker);
    }

    @Override
    public Object poll(int instance, long timeout, TimeUnit unit) throws InterruptedException {
        return Handoff.poll(queues[instance], timeout, unit);
    }

    @Override
    public Object take(int instance) throws InterruptedException {
        return Handoff.take(queues[instance]);
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

    @Override
    public int instances() {
        return queues.length;
    }

    @Override
    public int queued(int instance) {
        return queues[instance].size();
    }
}
