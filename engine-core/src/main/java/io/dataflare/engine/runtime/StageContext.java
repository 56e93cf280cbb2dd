package io.dataflare.engine.runtime;

import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.Timers;
import io.dataflare.engine.host.GrantedContext;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.state.keyed.RunStates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** The {@link PluginContext} of one plugin instance in one run, with what its stage is granted. */
final class StageContext implements GrantedContext {
    private final PluginConfig config;
    private final String pipeline;
    private final String stage;
    private final int instance;
    private final int instances;
    private final Path baseDir;
    private final Clock clock;
    private final System.Logger logger;
    private final PluginMetrics metrics;
    private final Grants grants;
    private final RunStates states;
    private final boolean timers;

    /** With {@code timers} false {@link #timers()} refuses: nothing fires the timers where the stage runs. */
    StageContext(
            ComponentPlan component,
            PipelineDefinition pipeline,
            String stage,
            int instance,
            int instances,
            Clock clock,
            MeterRegistry registry,
            RunStates states,
            boolean timers) {
        this.timers = timers;
        this.config = component.config();
        this.states = states;
        this.grants = component.grants();
        this.pipeline = pipeline.name();
        this.stage = stage;
        this.instance = instance;
        this.instances = instances;
        this.baseDir = pipeline.baseDir();
        this.clock = clock;
        this.logger = new PluginLogger(
                component.component().plugin().manifest().getPluginId(), this.pipeline, stage, instance);
        this.metrics = new Metrics(
                registry,
                Tags.of(
                        "pipeline",
                        this.pipeline,
                        "stage",
                        stage,
                        "plugin",
                        component.pluginLabel(),
                        "instance",
                        Integer.toString(instance)));
    }

    @Override
    public Grants grants() {
        return grants;
    }

    @Override
    public PluginConfig config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public PluginMetrics metrics() {
        return metrics;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public int instance() {
        return instance;
    }

    @Override
    public int instances() {
        return instances;
    }

    @Override
    public StateAccess state() {
        if (states == null) {
            throw new UnsupportedOperationException(
                    "stage '" + stage + "': keyed state is not available where this stage runs");
        }
        return states.access(stage, instance);
    }

    @Override
    public Timers timers() {
        if (states == null || !timers) {
            throw new UnsupportedOperationException(
                    "stage '" + stage + "': timers are not available where this stage runs");
        }
        return states.timers(stage, instance);
    }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || baseDir == null) return p.toAbsolutePath().normalize();
        return baseDir.resolve(p).normalize();
    }

    /** Plugin metrics as Micrometer meters, named {@code dataflare.plugin.<name>}. */
    private record Metrics(MeterRegistry registry, Tags tags) implements PluginMetrics {
        @Override
        public void increment(String name, long amount) {
            registry.counter("dataflare.plugin." + name, tags).increment(amount);
        }

        @Override
        public void record(String name, Duration duration) {
            registry.timer("dataflare.plugin." + name, tags).record(duration);
        }

        @Override
        public void gauge(String name, DoubleSupplier value) {
            registry.gauge("dataflare.plugin." + name, tags, value, DoubleSupplier::getAsDouble);
        }
    }
}
