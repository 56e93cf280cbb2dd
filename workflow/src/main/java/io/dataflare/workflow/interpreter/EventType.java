package io.dataflare.workflow.interpreter;

/** What happened in an execution. */
public enum EventType {
    ExecutionStarted,
    StateEntered,
    StateExited,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    RetryScheduled,
    WaitStarted,
    WaitFired,
    BranchStarted,
    BranchFinished,
    IterationStarted,
    IterationFinished,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionAborted,
    ExecutionTimedOut;

    /** Whether the event ends the execution. */
    public boolean terminal() {
        return this == ExecutionSucceeded
                || this == ExecutionFailed
                || this == ExecutionAborted
                || this == ExecutionTimedOut;
    }
}
