package io.dataflare.engine.runtime;

/**
 * A stage's parallelism cannot be changed now: it is not elastic, the run is not running, or the run did not
 * reach a quiet point in time. The message says which.
 */
public final class RescaleRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RescaleRefusedException(String message) {
        super(message);
    }
}
