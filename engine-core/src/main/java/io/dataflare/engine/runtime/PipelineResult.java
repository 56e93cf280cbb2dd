package io.dataflare.engine.runtime;

/**
 * How a run ended.
 *
 * @param state   STOPPED, COMPLETED or FAILED
 * @param stats   the final counters
 * @param failure why it failed (null unless FAILED)
 */
public record PipelineResult(String pipeline, PipelineState state, StatsSnapshot stats, String failure) {}
