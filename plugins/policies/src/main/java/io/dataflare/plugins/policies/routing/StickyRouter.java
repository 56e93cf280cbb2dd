package io.dataflare.plugins.policies.routing;

import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RoutingLoad;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Keeps each key on the instance it first got; a new key goes to the instance with the fewest queued
 * batches, ties broken by the fewest keys assigned. After {@code maxKeys} keys, new keys are routed by
 * hash so that the table stays bounded. Safe for several upstream threads.
 */
final class StickyRouter implements KeyRouter {
    private final ConcurrentHashMap<Object, Integer> assigned = new ConcurrentHashMap<>();
    private final long maxKeys;
    private volatile AtomicIntegerArray keysPerInstance = new AtomicIntegerArray(0);

    StickyRouter(long maxKeys) {
        this.maxKeys = maxKeys;
    }

    @Override
    public int route(Object key, RoutingLoad load) {
        int n = load.instances();
        if (key == null) return 0;
        Object k = Keys.canonical(key);
        Integer known = assigned.get(k);
        if (known != null) return known;
        if (assigned.size() >= maxKeys) return Keys.hashRoute(key, n);
        // Pick outside any map lock (the load is the engine's code); when two threads race on a new
        // key, the first assignment stands and the loser takes back its count.
        int pick = leastLoaded(load, n);
        Integer prior = assigned.putIfAbsent(k, pick);
        if (prior == null) return pick;
        counts(n).decrementAndGet(pick);
        return prior;
    }

    private int leastLoaded(RoutingLoad load, int n) {
        AtomicIntegerArray counts = counts(n);
        int best = 0;
        int bestQueued = Integer.MAX_VALUE;
        int bestKeys = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int q = load.queued(i);
            int c = counts.get(i);
            if (q < bestQueued || (q == bestQueued && c < bestKeys)) {
                best = i;
                bestQueued = q;
                bestKeys = c;
            }
        }
        counts.incrementAndGet(best);
        return best;
    }

    private AtomicIntegerArray counts(int n) {
        AtomicIntegerArray c = keysPerInstance;
        if (c.length() == n) return c;
        synchronized (this) {
            if (keysPerInstance.length() != n) keysPerInstance = new AtomicIntegerArray(n);
            return keysPerInstance;
        }
    }
}
