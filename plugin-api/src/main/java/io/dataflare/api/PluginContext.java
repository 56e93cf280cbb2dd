package io.dataflare.api;

import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.Timers;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the engine gives a plugin instance when it creates it: its configuration, a logger, metrics, a
 * clock, and where it runs. One context per instance; a stage with {@code parallelism: 3} has three
 * instances numbered 0 to 2.
 *
 * @since 1.0.0
 */
public interface PluginContext {
    /** The validated configuration (the stage's {@code with:}). */
    PluginConfig config();

    /** A logger whose messages carry the pipeline, stage and plugin. */
    System.Logger logger();

    /** This instance's metrics. */
    PluginMetrics metrics();

    /** The clock to use for time (tests may fix it). */
    Clock clock();

    /** The pipeline's name. */
    String pipeline();

    /** The stage's name in the pipeline. */
    String stage();

    /** This instance's number, from 0 to {@link #instances()} - 1. */
    int instance();

    /** How many instances of this stage run. */
    int instances();

    /**
     * Resolves a path from the configuration: relative paths are taken relative to the directory of the
     * pipeline file (the working directory when the pipeline did not come from a file).
     */
    Path resolvePath(String path);

    /**
     * This instance's keyed state, owned by the engine and saved with every checkpoint (see {@link
     * io.dataflare.api.state}). Call it when the instance is created or later; every call returns the same
     * state.
     *
     * @throws UnsupportedOperationException when the context has no state (a context outside the engine)
     * @since 1.1.0
     */
    default StateAccess state() {
        throw new UnsupportedOperationException("this plugin context provides no keyed state");
    }

    /**
     * This instance's timers (processing and event time, per key, durable like {@link #state()}): see {@link
     * Timers}. A processor that registers timers receives them in {@link
     * io.dataflare.api.processor.Processor#onTimers}. Every call returns the same timers.
     *
     * @throws UnsupportedOperationException when the context has no timers (a context outside the engine, or a
     *                                       stage that is not a processor)
     * @since 1.1.0
     */
    default Timers timers() {
        throw new UnsupportedOperationException("this plugin context provides no timers");
    }
}
