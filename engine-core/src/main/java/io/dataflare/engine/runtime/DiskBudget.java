package io.dataflare.engine.runtime;

import io.dataflare.engine.runtime.buffer.SinkSpool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A disk budget shared by several sinks' spools: a run's ({@code runtime.disk_mb}) or the engine's (every spool
 * of every run). A spool takes a batch only when it fits within each of its budgets; otherwise its sink stops
 * taking input until spools drain (backpressure), as with a full {@code max_bytes}.
 */
final class DiskBudget {
    private final String name;
    private final long limitBytes;
    private final Set<SinkSpool> spools = ConcurrentHashMap.newKeySet();
    /** Bytes about to be spooled (guarded by this). */
    private long reserved;

    /**
     * @param name       the budget's name in events and metrics ({@code disk}, {@code engine_disk})
     * @param limitBytes the most all its spools may hold together
     */
    DiskBudget(String name, long limitBytes) {
        this.name = name;
        this.limitBytes = limitBytes;
    }

    String name() {
        return name;
    }

    long limitBytes() {
        return limitBytes;
    }

    void add(SinkSpool spool) {
        spools.add(spool);
    }

    void remove(SinkSpool spool) {
        spools.remove(spool);
    }

    /** The bytes its spools hold now. */
    long used() {
        long n = 0;
        for (SinkSpool s : spools) n += s.bytes();
        return n;
    }

    /**
     * Reserves {@code bytes} when they fit, until {@link #release}d (once they are in a spool, which then counts
     * them): two sinks spooling at once cannot both take the last room. When every spool is empty any one batch
     * fits, so a batch larger than the budget cannot hold the pipeline back for ever.
     */
    synchronized boolean reserve(long bytes) {
        long used = used() + reserved;
        if (used != 0 && used + bytes > limitBytes) return false;
        reserved += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        reserved -= bytes;
    }
}
