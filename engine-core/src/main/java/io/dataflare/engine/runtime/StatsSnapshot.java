package io.dataflare.engine.runtime;

import java.util.List;

/**
 * A pipeline's counters at a moment. Records are conserved:
 * {@code recordsIn + derived == recordsOut + deadLettered + skipped} once the run has completed, where
 * {@code derived} counts the extra records made by fan-out and by processors that emit more than they
 * get (0 for a straight pipeline, so then {@code recordsIn == recordsOut + deadLettered + skipped}).
 *
 * @param recordsIn    records read by the sources (bad input included)
 * @param recordsOut   records written by the sinks (the dead-letter sink excluded)
 * @param deadLettered records written to the dead-letter sink
 * @param skipped      records that left on purpose: dropped by a filter, or skipped by {@code on_error: skip}
 * @param filtered     the part of {@code skipped} that processors dropped
 * @param derived      extra records from fan-out and expanding processors
 * @param retries      attempts made again after a failure
 * @param errors       failed attempts
 * @param timeouts     calls that overran their time limit
 * @param durationMs   time since the run started
 * @param stages       per-stage counters, upstream first
 * @param edges        the queue on each edge of the graph, upstream first
 * @param latency      end-to-end record latency so far (source read to sink acknowledgement)
 */
public record StatsSnapshot(
        long recordsIn,
        long recordsOut,
        long deadLettered,
        long skipped,
        long filtered,
        long derived,
        long retries,
        long errors,
        long timeouts,
        long durationMs,
        List<StageSnapshot> stages,
        List<EdgeSnapshot> edges,
        LatencySnapshot latency) {
    public StatsSnapshot {
        stages = List.copyOf(stages);
        edges = List.copyOf(edges);
        latency = latency == null ? LatencySnapshot.NONE : latency;
    }

    /** Counters without edges or latency (runners that do not measure them). */
    public StatsSnapshot(
            long recordsIn,
            long recordsOut,
            long deadLettered,
            long skipped,
            long filtered,
            long derived,
            long retries,
            long errors,
            long timeouts,
            long durationMs,
            List<StageSnapshot> stages) {
        this(
                recordsIn,
                recordsOut,
                deadLettered,
                skipped,
                filtered,
                derived,
                retries,
                errors,
                timeouts,
                durationMs,
                stages,
                List.of(),
                LatencySnapshot.NONE);
    }

    /** Whether the conservation law holds (true for any completed run). */
    public boolean balanced() {
        return recordsIn + derived == recordsOut + deadLettered + skipped;
    }
}
