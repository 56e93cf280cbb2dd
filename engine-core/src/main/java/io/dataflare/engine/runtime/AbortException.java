package io.dataflare.engine.runtime;

/** Thrown inside a worker when the pipeline must fail (error policy {@code abort}, a give-up that cannot be dead-lettered). */
final class AbortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbortException(String message, Throwable cause) {
        super(message, cause);
    }
}
