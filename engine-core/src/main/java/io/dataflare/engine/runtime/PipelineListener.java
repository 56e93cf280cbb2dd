package io.dataflare.engine.runtime;

/** Receives a run's state changes and periodic progress. Called from engine threads: return quickly. */
public interface PipelineListener {
    /** The run moved from {@code from} to {@code to}. */
    default void onStateChange(PipelineRun run, PipelineState from, PipelineState to) {}

    /** Periodic progress (about twice a second while running) and once at the end. */
    default void onProgress(PipelineRun run, StatsSnapshot stats) {}
}
