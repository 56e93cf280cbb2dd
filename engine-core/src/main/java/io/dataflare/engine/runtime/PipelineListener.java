package io.dataflare.engine.runtime;

import io.dataflare.engine.runtime.scale.RescaleEvent;
import java.time.Instant;

/** Receives a run's state changes, periodic progress, rescales, saved checkpoints and budget events. Called from engine threads: return quickly. */
public interface PipelineListener {
    /** The run moved from {@code from} to {@code to}. */
    default void onStateChange(PipelineRun run, PipelineState from, PipelineState to) {}

    /** Periodic progress (about twice a second while running) and once at the end. */
    default void onProgress(PipelineRun run, StatsSnapshot stats) {}

    /** An elastic stage changed its instances (the autoscaler or an operator). */
    default void onRescale(PipelineRun run, RescaleEvent event) {}

    /** Checkpoint {@code id}, cut at {@code at}, was saved (a periodic one, or the last as the run ends or stops). */
    default void onCheckpoint(PipelineRun run, long id, Instant at) {}

    /** A budget (memory, a spool's or the disk's) started or stopped holding the run back. */
    default void onBudget(PipelineRun run, BudgetEvent event) {}
}
