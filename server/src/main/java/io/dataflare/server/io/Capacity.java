package io.dataflare.server.io;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;

/** The {@code capacity} option both built-ins have: records held, within bounds. */
final class Capacity {
    private Capacity() {}

    /** The validated capacity. */
    static int of(PluginConfig config, int fallback, long max) {
        long capacity = config.getLong("capacity", fallback);
        if (capacity < 1 || capacity > max) {
            throw new ConfigException("capacity", "must be between 1 and " + max + ", got " + capacity);
        }
        return (int) capacity;
    }
}
