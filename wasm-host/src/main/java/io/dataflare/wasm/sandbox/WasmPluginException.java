package io.dataflare.wasm.sandbox;

import io.dataflare.api.error.PluginException;

/**
 * A failed call into a WASM plugin: a trap, a timeout, a limit hit or an error the module reported.
 * The message starts with the plugin ({@code id@version}) so that logs and dead letters name it.
 */
public final class WasmPluginException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String plugin;

    public WasmPluginException(String errorClass, String plugin, String message, Throwable cause) {
        super(errorClass, "wasm plugin " + plugin + ": " + message, cause);
        this.plugin = plugin;
    }

    /** The plugin as {@code id@version}. */
    public String plugin() {
        return plugin;
    }
}
