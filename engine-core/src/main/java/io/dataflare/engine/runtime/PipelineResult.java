package io.dataflare.engine.runtime;

import java.util.List;

/**
 * How a run ended.
 *
 * @param state   STOPPED, COMPLETED or FAILED
 * @param stats   the final counters
 * @param failure  why it failed (null unless FAILED)
 * @param switches the plugin version switches of its stages while it ran (hot reload), in order
 */
public record PipelineResult(
        String pipeline, PipelineState state, StatsSnapshot stats, String failure, List<SwitchResult> switches) {
    public PipelineResult {
        switches = switches == null ? List.of() : List.copyOf(switches);
    }

    /** A result without version switches. */
    public PipelineResult(String pipeline, PipelineState state, StatsSnapshot stats, String failure) {
        this(pipeline, state, stats, failure, List.of());
    }
}
