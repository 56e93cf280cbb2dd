package io.dataflare.api;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Metrics a plugin reports about itself. The engine tags them with the pipeline, stage and plugin, and
 * exposes them next to its own (Prometheus text on the server). Names are lower-case words joined by
 * '.' or '_'.
 *
 * @since 1.0.0
 */
public interface PluginMetrics {
    /** Adds {@code amount} to the counter {@code name}. */
    void increment(String name, long amount);

    /** Records one duration in the timer {@code name}. */
    void record(String name, Duration duration);

    /** Registers a gauge read from {@code value} whenever metrics are collected. */
    void gauge(String name, DoubleSupplier value);

    /** Metrics that go nowhere (tests, tools). */
    static PluginMetrics noop() {
        return new PluginMetrics() {
            @Override
            public void increment(String name, long amount) {}

            @Override
            public void record(String name, Duration duration) {}

            @Override
            public void gauge(String name, DoubleSupplier value) {}
        };
    }
}
