package io.dataflare.server.task;

/**
 * A request about tasks that cannot be done. Each subclass says what kind of refusal it is (the task does not
 * exist, is in the wrong state, the request is invalid, the queue is full, too much at once, the server is
 * shutting down), never how a protocol answers it: the HTTP layer maps them to statuses in one place.
 */
public abstract sealed class TaskException extends RuntimeException
        permits TaskNotFoundException,
                TaskConflictException,
                InvalidTaskException,
                TaskBusyException,
                TooLargeException,
                ShuttingDownException {
    private static final long serialVersionUID = 1L;

    TaskException(String message) {
        super(message);
    }
}
