package io.dataflare.engine.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one stage, summed over its instances. Updated once per batch on the hot path, hence
 * {@link LongAdder}s.
 */
public final class StageStats {
    final LongAdder recordsIn = new LongAdder();
    final LongAdder recordsOut = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder derived = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder busyNanos = new LongAdder();
    /**
     * Records per named output, in the order the stage was wired; looked up when a stage is assembled (its
     * emitters keep the counters), read by snapshots, hence synchronized rather than on the hot path.
     */
    private final Map<String, LongAdder> outputs = new LinkedHashMap<>();

    /** The counter of named output {@code name}, created on first use. */
    LongAdder output(String name) {
        synchronized (outputs) {
            return outputs.computeIfAbsent(name, k -> new LongAdder());
        }
    }

    /** A snapshot of the counters. */
    public StageSnapshot snapshot(String name, String role, String plugin, int instances, int queued) {
        return new StageSnapshot(
                name,
                role,
                plugin,
                instances,
                recordsIn.sum(),
                recordsOut.sum(),
                failed.sum(),
                filtered.sum(),
                derived.sum(),
                errors.sum(),
                retries.sum(),
                timeouts.sum(),
                batches.sum(),
                busyNanos.sum() / 1_000_000,
                queued,
                outputCounts());
    }

    private Map<String, Long> outputCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        synchronized (outputs) {
            outputs.forEach((k, v) -> out.put(k, v.sum()));
        }
        return out;
    }

    /** Records counted in: read by a source, received by a processor or sink. */
    public long recordsIn() {
        return recordsIn.sum();
    }

    /** Records counted out: emitted by a source or processor, written by a sink. */
    public long recordsOut() {
        return recordsOut.sum();
    }
}
