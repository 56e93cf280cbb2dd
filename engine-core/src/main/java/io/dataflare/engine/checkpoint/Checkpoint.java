package io.dataflare.engine.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A consistent cut of a pipeline run: every record up to each source's position has been written and
 * flushed by every sink, whose states (e.g. file lengths) are recorded too. Resuming seeks each source to
 * its position and restores each sink to its state, so that nothing is lost or written twice.
 *
 * @param id          increases by one per checkpoint of a pipeline, across runs
 * @param pipeline    the key it is kept under (the pipeline's identity, or a task id)
 * @param createdAt   when it was taken
 * @param sources     position per source stage
 * @param sinks       state per sink stage (the dead-letter sink as {@code dead_letter}); null for sinks that
 *                    cannot restore
 * @param origin      the pipeline that wrote it, for messages ({@code 'orders' (/data/orders.yaml)}); null in
 *                    checkpoints written before it was recorded
 * @param fingerprint per source and sink stage, a digest of what a resume depends on (plugin, version,
 *                    options, base directory); null in checkpoints written before it was recorded
 * @param state       the keyed state at this cut: per stage instance ({@code stage/instance}) the snapshot
 *                    files its restore reads, written before this checkpoint was saved; null when the run had
 *                    no keyed state
 */
public record Checkpoint(
        long id,
        String pipeline,
        Instant createdAt,
        Map<String, Map<String, Object>> sources,
        Map<String, Map<String, Object>> sinks,
        String origin,
        Map<String, String> fingerprint,
        Map<String, List<String>> state) {
    /** A checkpoint without keyed state. */
    public Checkpoint(
            long id,
            String pipeline,
            Instant createdAt,
            Map<String, Map<String, Object>> sources,
            Map<String, Map<String, Object>> sinks,
            String origin,
            Map<String, String> fingerprint) {
        this(id, pipeline, createdAt, sources, sinks, origin, fingerprint, null);
    }
}
