package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RoutingLoad;

/**
 * One queue per instance; each record goes to the instance its {@link KeyRouter} picks for its key,
 * so a router that maps a key to one instance keeps that key's records in order.
 */
final class RoutedChannel extends KeyedQueuesChannel implements RoutingLoad {
    /** Replaced by a version switch only while nothing is queued, so no key's records are reordered. */
    private volatile KeyRouter router;

    /** Set once the run ended and closed the router: a router switched in after that is closed at once. */
    private boolean closed;

    RoutedChannel(
            int capacityPerInstance,
            int instances,
            int producers,
            KeyRouter router,
            String keyField,
            InFlight inFlight) {
        super(capacityPerInstance, instances, producers, keyField, inFlight);
        this.router = router;
    }

    @Override
    public void send(RecordBatch batch, long readNanos) throws InterruptedException {
        int n = queues.length;
        KeyRouter router = this.router;
        RecordBatch.Builder[] parts = new RecordBatch.Builder[n];
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            int target = router.route(keyOf(r), this);
            if (target < 0 || target >= n) {
                throw new IllegalStateException("key router returned instance " + target + " of " + n);
            }
            if (parts[target] == null) parts[target] = part(batch.size(), n);
            parts[target].add(r);
        }
        sendParts(parts, readNanos);
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
    public int instances() {
        return queues.length;
    }

    @Override
    public int queued(int instance) {
        return queues[instance].size();
    }
}
