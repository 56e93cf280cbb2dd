package io.dataflare.engine.runtime;

/**
 * A run was asked to resume from a checkpoint written by another pipeline (or by this one before its
 * sources or sinks changed): it refuses before anything runs; the message says what differs and how to go on.
 */
public final class CheckpointMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointMismatchException(String message) {
        super(message);
    }
}
