package io.dataflare.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines built one after another over one registry (the CLI daemon's runs): plugins stay loaded, changes are seen. */
class SharedRegistryEngineTest {
    private static final String STAMPED = """
            sources: { in: { use: seq, with: { count: 3 } } }
            processors: { p: { use: stamp, from: in } }
            sinks: { out: { use: collect, from: p, with: { name: out } } }
            """;

    @TempDir
    Path dir;

    private final InProcessPlugins plugins = new InProcessPlugins();
    private PluginRegistry shared;

    @BeforeEach
    void registry() throws Exception {
        Fixtures.stamp(dir.resolve("stamp-1.jar"), "1.0.0", "first");
        shared = PluginRegistry.builder()
                .discoverHosts()
                .engineVersion("1.0.0")
                .addDirectory(dir)
                .build();
        shared.register(plugins.plugin());
    }

    @AfterEach
    void close() {
        shared.close();
    }

    private Engine engine() {
        return Engine.builder().environment(Map.of()).sharedRegistry(shared).build();
    }

    private PipelineResult run(Engine engine) throws InterruptedException {
        return engine.run(TestEngines.plan(engine, STAMPED));
    }

    private LoadedPlugin stamp() {
        return shared.plugins().stream()
                .filter(p -> p.manifest().getPluginId().equals("stamp"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void closingAnEngineLeavesTheSharedRegistrysPluginsLoadedForTheNext() throws Exception {
        LoadedPlugin loaded;
        try (Engine first = engine()) {
            assertThat(run(first).state()).isEqualTo(PipelineState.COMPLETED);
            loaded = stamp();
        }
        try (Engine second = engine()) {
            assertThat(stamp()).as("the same loaded plugin, not a new load").isSameAs(loaded);
            assertThat(run(second).state()).isEqualTo(PipelineState.COMPLETED);
        }
        assertThat(plugins.collected("out")).extracting(r -> r.get("v")).containsOnly("first");
    }

    @Test
    void anEngineBuiltOverASharedRegistryPicksUpThePluginFilesAddedSince() throws Exception {
        try (Engine first = engine()) {
            run(first);
        }
        Fixtures.stamp(dir.resolve("stamp-2.jar"), "2.0.0", "second");
        try (Engine second = engine()) {
            assertThat(run(second).state()).isEqualTo(PipelineState.COMPLETED);
        }
        assertThat(plugins.collected("out"))
                .extracting(r -> r.get("v"))
                .containsExactly("first", "first", "first", "second", "second", "second");
    }

    @Test
    void anEngineDoesNotWatchARegistryItDoesNotOwn() {
        assertThatThrownBy(() ->
                        Engine.builder().sharedRegistry(shared).watchPlugins().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("watched by its owner");
    }
}
