package io.dataflare.engine.runtime;

import io.dataflare.engine.runtime.scale.RescaleEvent;
import java.time.Instant;

/** Receives a run's state changes, periodic progress, rescales and saved checkpoints. Called from engine threads: return quickly. */
public interface PipelineListener {
    /** The run moved from {@code from} to {@code to}. */
    default void onStateChange(PipelineRun run, PipelineState from, PipelineState to) {}

    /** Periodic progress (about twice a second while running) and once at the end. */
    default void onProgress(PipelineRun run, StatsSnapshot stats) {}

    /** An elastic stage changed its instances (the autoscaler or an operator). */
    default void onRescale(PipelineRun run, RescaleEvent event) {}

    /** Checkpoint {@code id}, cut at {@code at}, was saved (a periodic one, or the last as the run ends or stops). */
    default void onCheckpoint(PipelineRun run, long id, Instant at) {}
}
