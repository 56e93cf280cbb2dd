package io.dataflare.engine.plugin;

/** A {@code use:} reference could not be resolved to a component; the message names the whole reason. */
public class ResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResolutionException(String message) {
        super(message);
    }
}
