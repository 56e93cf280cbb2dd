package io.dataflare.wasm.codec;

/** Module output that does not follow the batch encoding. */
public final class MalformedOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
