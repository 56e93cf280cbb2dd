package io.dataflare.server.task;

/**
 * The task is not in a state that allows the request (pausing a task that is not running, deleting a running
 * one, creating an id that is taken, a run refused at start); the message says which state it is in.
 */
public final class TaskConflictException extends TaskException {
    private static final long serialVersionUID = 1L;

    public TaskConflictException(String message) {
        super(message);
    }
}
