package io.dataflare.server.task;

import io.dataflare.engine.runtime.PipelineState;

/**
 * A task's lifecycle: CREATED (stored, not yet validated) -> READY (validated) -> RUNNING <-> PAUSED ->
 * STOPPED, COMPLETED (a finite pipeline reached its end) or ERROR (its run failed, or its pipeline no longer
 * validates). A task that is not RUNNING or PAUSED can be started again, updated or deleted.
 */
public enum TaskState {
    CREATED,
    READY,
    RUNNING,
    PAUSED,
    STOPPED,
    COMPLETED,
    ERROR;

    /** Whether a run is going (the task cannot be updated or deleted). */
    public boolean active() {
        return this == RUNNING || this == PAUSED;
    }

    /** The task state a run state shows as, or null for the run's own CREATED and READY. */
    static TaskState of(PipelineState s) {
        return switch (s) {
            case RUNNING -> RUNNING;
            case PAUSED -> PAUSED;
            case STOPPED -> STOPPED;
            case COMPLETED -> COMPLETED;
            case FAILED -> ERROR;
            case CREATED, READY -> null;
        };
    }
}
