package io.dataflare.engine.host;

/** A plugin file could not be loaded; the message says why in words a person can act on. */
public class PluginLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
