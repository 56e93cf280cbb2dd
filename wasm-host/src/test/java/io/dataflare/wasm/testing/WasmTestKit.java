package io.dataflare.wasm.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;
import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.wasm.WasmPluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs WASM plugins in real pipelines for tests: a plugins folder the engine scans (so modules load
 * through the registry and the WASM host found by ServiceLoader), the in-process {@code seq} source
 * and {@code collect} sink, and WAT text compiled on the fly.
 */
public final class WasmTestKit implements AutoCloseable {
    private final Path pluginsDir;
    private final InProcessPlugins inProcess = new InProcessPlugins();
    private Engine engine;

    public WasmTestKit(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
    }

    /** WAT text as a module. */
    public static byte[] wat(String text) {
        return Wat2Wasm.parse(text);
    }

    /** Writes {@code name.wasm} and, when {@code manifest} is not null, its {@code .wasm.yaml}; returns the module's path. */
    public Path install(String name, byte[] wasm, String manifest) {
        try {
            Files.createDirectories(pluginsDir);
            Path f = pluginsDir.resolve(name + ".wasm");
            Files.write(f, wasm);
            if (manifest != null) Files.writeString(pluginsDir.resolve(name + ".wasm.yaml"), manifest);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a built module and its manifest into the plugins folder. */
    public Path install(Path wasm) {
        try {
            Files.createDirectories(pluginsDir);
            Path f = pluginsDir.resolve(wasm.getFileName());
            Files.copy(wasm, f);
            Path yaml = wasm.resolveSibling(wasm.getFileName() + ".yaml");
            if (Files.exists(yaml)) Files.copy(yaml, pluginsDir.resolve(yaml.getFileName()));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The in-process plugins registered beside the folder's (add components before the first {@link #engine()}). */
    public InProcessPlugins inProcess() {
        return inProcess;
    }

    /** The engine, scanning the plugins folder (built on first use, after the modules are installed). */
    public Engine engine() {
        if (engine == null) {
            engine = Engine.builder()
                    .pluginDirectory(pluginsDir)
                    .environment(Map.of())
                    .build();
            engine.plugins().register(inProcess.plugin());
        }
        return engine;
    }

    /** The WASM host of {@code engine} (found with ServiceLoader, as the engine finds it). */
    public static WasmPluginHost host(Engine engine) {
        return (WasmPluginHost) engine.plugins().hosts().stream()
                .filter(h -> h.language().equals("wasm"))
                .findFirst()
                .orElseThrow();
    }

    /** Runs a pipeline given as YAML text. */
    public PipelineResult run(String yaml) throws InterruptedException {
        Engine e = engine();
        return e.run(e.load(yaml, "test.yaml", ConfigReader.Format.YAML, pluginsDir));
    }

    /** What the {@code collect} sink named {@code name} received. */
    public List<Record> collected(String name) {
        return inProcess.collected(name);
    }

    @Override
    public void close() {
        if (engine != null) engine.close();
    }
}
