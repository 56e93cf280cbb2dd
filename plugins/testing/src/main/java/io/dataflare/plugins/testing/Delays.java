package io.dataflare.plugins.testing;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import java.util.concurrent.TimeUnit;

/** The sleeping shared by the deliberately slow components. */
final class Delays {
    private Delays() {}

    static void requireNonNegative(PluginConfig config, String... options) {
        for (String o : options) {
            if (config.getLong(o, 0) < 0) throw new ConfigException(o, "must not be negative");
        }
    }

    /** Sleeps; an interrupt (the engine stopping) ends the sleep and propagates. */
    static void sleepMicros(long micros) throws InterruptedException {
        if (micros > 0) TimeUnit.MICROSECONDS.sleep(micros);
    }
}
