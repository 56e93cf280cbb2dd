package io.dataflare.wasm.sandbox;

/** Thrown inside a call (usually by a host function) when the module oversteps a sandbox limit. */
public final class LimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
        super(message);
    }
}
