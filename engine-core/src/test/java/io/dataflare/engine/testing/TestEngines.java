package io.dataflare.engine.testing;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Engines for tests: in-process plugins, a fixed environment, pipelines from YAML text. */
public final class TestEngines {
    private TestEngines() {}

    /** An engine with no plugin folders and {@code plugins} registered. */
    public static Engine withPlugins(InProcessPlugins plugins) {
        return withPlugins(plugins, b -> {});
    }

    /** As {@link #withPlugins(InProcessPlugins)}, with the builder configured further (meters, clock...). */
    public static Engine withPlugins(InProcessPlugins plugins, Consumer<Engine.Builder> configure) {
        Engine.Builder b = Engine.builder().environment(Map.of("TEST_COUNT", "5"));
        configure.accept(b);
        Engine e = b.build();
        e.plugins().register(plugins.plugin());
        return e;
    }

    /**
     * An engine over the plugin folder {@code dir} (engine version 1.0.0) with {@code plugins} registered,
     * watching the folder with a short poll and quiet period when {@code watch}.
     */
    public static Engine withFolder(Path dir, InProcessPlugins plugins, boolean watch) {
        return withFolder(dir, plugins, watch, b -> {});
    }

    /** As {@link #withFolder(Path, InProcessPlugins, boolean)}, with the builder configured further. */
    public static Engine withFolder(
            Path dir, InProcessPlugins plugins, boolean watch, Consumer<Engine.Builder> configure) {
        Engine.Builder b =
                Engine.builder().environment(Map.of()).pluginDirectory(dir).registry(r -> r.engineVersion("1.0.0"));
        configure.accept(b);
        if (watch) b.watchPlugins(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100));
        Engine e = b.build();
        e.plugins().register(plugins.plugin());
        return e;
    }

    /** Validates YAML pipeline text named {@code test.yaml}. */
    public static PipelinePlan plan(Engine engine, String yaml) {
        return engine.load(yaml, "test.yaml", ConfigReader.Format.YAML, Path.of("."));
    }
}
