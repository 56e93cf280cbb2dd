package io.dataflare.engine.state;

/**
 * Encrypted state cannot be used: it was modified or damaged, its key is not configured, or it is in clear
 * although a key is set. The message names the state (store, key, log or file) and the key.
 */
public final class StateIntegrityException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    public StateIntegrityException(String message) {
        super(message);
    }
}
