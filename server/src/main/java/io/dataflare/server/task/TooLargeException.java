package io.dataflare.server.task;

/** More records in one request than a push source's queue can ever hold: send smaller requests. */
public final class TooLargeException extends TaskException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String message) {
        super(message);
    }
}
