package io.dataflare.server.task;

/** The tasks are shutting down (the server is stopping): no change is taken any more. */
public final class ShuttingDownException extends TaskException {
    private static final long serialVersionUID = 1L;

    public ShuttingDownException() {
        super("the server is stopping");
    }
}
