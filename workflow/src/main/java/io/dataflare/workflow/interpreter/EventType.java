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
    ExecutionTimedOut,
    /** A finished execution (FAILED, TIMED_OUT, ABORTED) goes on from the state that failed, with that state's input. */
    ExecutionRedriven;

    /** Whether the event ends the execution. */
    public boolean terminal() {
        return this == ExecutionSucceeded
                || this == ExecutionFailed
                || this == ExecutionAborted
                || this == ExecutionTimedOut;
    }
}
