package io.dataflare.workflow.interpreter;

/** Where an execution stands. */
public enum ExecutionStatus {
    NOT_STARTED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    ABORTED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == ABORTED;
    }
}
