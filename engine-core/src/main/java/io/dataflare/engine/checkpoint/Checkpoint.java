package io.dataflare.engine.checkpoint;

import java.time.Instant;
import java.util.Map;

/**
 * A consistent cut of a pipeline run: every record up to each source's position has been written and
 * flushed by every sink, whose states (e.g. file lengths) are recorded too. Resuming seeks each source to
 * its position and restores each sink to its state, so that nothing is lost or written twice.
 *
 * @param id        increases by one per checkpoint of a pipeline, across runs
 * @param pipeline  the pipeline (or task) name
 * @param createdAt when it was taken
 * @param sources   position per source stage
 * @param sinks     state per sink stage (the dead-letter sink as {@code dead_letter}); null for sinks that
 *                  cannot restore
 */
public record Checkpoint(long id, String pipeline, Instant createdAt, Map<String, Map<String, Object>> sources,
                         Map<String, Map<String, Object>> sinks) {
}
