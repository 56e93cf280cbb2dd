package com.example.dataflare;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.tck.ComponentCase;
import io.dataflare.tck.PluginContractTest;
import io.dataflare.tck.PluginLoaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The plugin contract, checked on the packaged JAR loaded the way the engine loads it. */
class ExamplePluginContractIT extends PluginContractTest {
    @Override
    protected LoadedPlugin loadPlugin() throws Exception {
        return PluginLoaders.javaJar(Path.of(System.getProperty("plugin.jar", "target/example-plugin-1.0.0.jar")));
    }

    @Override
    protected List<ComponentCase> components() {
        RecordBatch sample = RecordBatch.of(Record.fromMap(Map.of("text", "hello plugin world")), Record.fromMap(Map.of("other", 1L)));
        return List.of(
                ComponentCase.processor("word-count").config(Map.of("field", "text")).rejects(Map.of("field", List.of()), "field").input(sample),
                ComponentCase.source("counter").config(Map.of("count", 20)).rejects(Map.of("count", "many"), "count"));
    }
}
