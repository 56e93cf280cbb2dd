package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** A plugin context whose counters the test can read (the TCK's context drops metrics). */
final class CountingContext implements PluginContext {
    private final SimplePluginContext inner;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final PluginMetrics metrics = new PluginMetrics() {
        @Override
        public void increment(String name, long amount) {
            counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(amount);
        }

        @Override
        public void record(String name, Duration duration) {}

        @Override
        public void gauge(String name, DoubleSupplier value) {}
    };

    CountingContext(PluginFactory<?> factory, Map<String, ?> config) {
        this.inner = SimplePluginContext.of(factory, config, null);
    }

    long counter(String name) {
        AtomicLong c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    @Override
    public PluginConfig config() {
        return inner.config();
    }

    @Override
    public System.Logger logger() {
        return inner.logger();
    }

    @Override
    public PluginMetrics metrics() {
        return metrics;
    }

    @Override
    public Clock clock() {
        return inner.clock();
    }

    @Override
    public String pipeline() {
        return inner.pipeline();
    }

    @Override
    public String stage() {
        return inner.stage();
    }

    @Override
    public int instance() {
        return inner.instance();
    }

    @Override
    public int instances() {
        return inner.instances();
    }

    @Override
    public Path resolvePath(String path) {
        return inner.resolvePath(path);
    }
}
