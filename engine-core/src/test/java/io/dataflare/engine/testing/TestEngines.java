package io.dataflare.engine.testing;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import java.nio.file.Path;
import java.util.Map;

/** Engines for tests: in-process plugins, a fixed environment, pipelines from YAML text. */
public final class TestEngines {
    private TestEngines() {
    }

    /** An engine with no plugin folders and {@code plugins} registered. */
    public static Engine withPlugins(InProcessPlugins plugins) {
        Engine e = Engine.builder().environment(Map.of("TEST_COUNT", "5")).build();
        e.plugins().register(plugins.plugin());
        return e;
    }

    /** Validates YAML pipeline text named {@code test.yaml}. */
    public static PipelinePlan plan(Engine engine, String yaml) {
        return engine.load(yaml, "test.yaml", ConfigReader.Format.YAML, Path.of("."));
    }
}
