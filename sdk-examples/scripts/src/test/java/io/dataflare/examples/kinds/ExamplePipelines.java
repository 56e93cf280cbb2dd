package io.dataflare.examples.kinds;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real engine whose plugin folders are the examples' {@code plugin/} folders (the scripts are found and loaded
 * by the registry, as from a plugins folder), with the in-process {@code seq} source and {@code collect} sink.
 */
final class ExamplePipelines implements AutoCloseable {
    static final String[] FOLDERS = {
        "javascript-source",
        "python-source",
        "javascript-sink",
        "python-sink",
        "javascript-retry-policy",
        "python-retry-policy",
        "python-error-policy",
        "javascript-error-policy",
        "javascript-key-router",
        "python-key-router"
    };

    final InProcessPlugins plugins;
    private final Engine engine;

    /** @param plugins the in-process components the pipelines use besides the examples */
    ExamplePipelines(InProcessPlugins plugins) {
        this.plugins = plugins;
        Engine.Builder b = Engine.builder().environment(Map.of());
        for (String f : FOLDERS) b.pluginDirectory(Path.of(f, "plugin"));
        engine = b.build();
        engine.plugins().register(plugins.plugin());
    }

    PipelineResult run(String yaml) throws InterruptedException {
        return engine.run(engine.load(yaml, "example.yaml", ConfigReader.Format.YAML, Path.of(".")));
    }

    @Override
    public void close() {
        engine.close();
    }
}
