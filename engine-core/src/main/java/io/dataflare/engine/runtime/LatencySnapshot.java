package io.dataflare.engine.runtime;

/**
 * End-to-end record latency over a run so far: from the source reading a record to its sink acknowledging the
 * write. Records that went to the dead letters, were written from a sink's offline spool, or were made by timers
 * are not measured.
 *
 * @param records how many records were measured
 * @param p50Ms   the median, in milliseconds
 * @param p99Ms   the 99th percentile, in milliseconds
 * @param maxMs   the largest, in milliseconds
 */
public record LatencySnapshot(long records, double p50Ms, double p99Ms, double maxMs) {
    /** Nothing measured yet. */
    public static final LatencySnapshot NONE = new LatencySnapshot(0, 0, 0, 0);
}
