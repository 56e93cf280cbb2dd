package io.dataflare.polyglot;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real engine for script tests: the in-process {@code seq} source and {@code collect} sink, the hosts
 * found by ServiceLoader (as in production), and a plugins folder the test writes scripts into. Starting
 * GraalVM engines and Python contexts is slow, so a test class shares one.
 */
final class ScriptPipelines implements AutoCloseable {
    final InProcessPlugins plugins = new InProcessPlugins();
    final Path dir;
    final Path pluginDir;
    private Engine engine;

    ScriptPipelines(Path dir) {
        this.dir = dir;
        this.pluginDir = dir.resolve("plugins");
        try {
            Files.createDirectories(pluginDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a script into the plugins folder (call before {@link #engine()}). */
    ScriptPipelines plugin(String name, String text) {
        write(pluginDir.resolve(name), text);
        return this;
    }

    /** Writes a file next to the pipelines (for {@code use: path}). */
    Path file(String name, String text) {
        Path p = dir.resolve(name);
        write(p, text);
        return p;
    }

    Engine engine() {
        if (engine == null) {
            engine = Engine.builder()
                    .pluginDirectory(pluginDir)
                    .environment(Map.of())
                    .build();
            engine.plugins().register(plugins.plugin());
        }
        return engine;
    }

    /** Validates and runs a pipeline given as YAML text (relative paths resolve against the test folder). */
    PipelineResult run(String yaml) throws InterruptedException {
        Engine e = engine();
        return e.run(e.load(yaml, "test.yaml", ConfigReader.Format.YAML, dir));
    }

    <T extends ScriptHost> T host(Class<T> type) {
        return engine().plugins().hosts().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }

    private static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (engine != null) engine.close();
    }
}
