package io.dataflare.plugins.tcp;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.PluginConfig;
import java.util.List;

/** Shared checks of the tcp connectors' options. */
final class TcpOptions {
    static final String LISTEN = "listen";
    static final String CONNECT = "connect";
    static final String FORMAT = "format";

    private TcpOptions() {}

    /** Checks that option {@code name}, when set, is a HOST:PORT; adds an error naming it and its value if not. */
    static void checkAddress(PluginConfig config, String name, boolean portZeroAllowed, List<ConfigError> errors) {
        if (!config.has(name)) return;
        String value = config.getString(name);
        try {
            HostPort hp = HostPort.parse(value);
            if (hp.port() == 0 && !portZeroAllowed)
                errors.add(new ConfigError(name, "the port must be from 1 to 65535, got \"" + value + "\""));
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(name, e.getMessage() + ", got \"" + value + "\""));
        }
    }

    /** Checks that option {@code name} is at least {@code min}. */
    static void checkAtLeast(PluginConfig config, String name, long min, List<ConfigError> errors) {
        if (!config.has(name)) return;
        long v = config.getLong(name, min);
        if (v < min) errors.add(new ConfigError(name, "must be at least " + min + ", got " + v));
    }
}
