package io.dataflare.polyglot;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.tck.SimplePluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads scripts with a host directly and runs their processors on batches, without a pipeline. */
final class Scripts {
    private Scripts() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoadedPlugin load(ScriptHost host, Path dir, String name, String text) throws PluginLoadException {
        return host.load(write(dir, name, text), new HostContext("1.0.0"));
    }

    static ProcessorFactory factory(LoadedPlugin p) {
        return (ProcessorFactory) p.components().get(0);
    }

    /** A processor instance of the plugin with {@code config} (validated as the engine would). */
    static Processor open(LoadedPlugin p, Map<String, ?> config) throws Exception {
        ProcessorFactory f = factory(p);
        return f.create(SimplePluginContext.of(f, config, Path.of(".")));
    }

    static RecordBatch batch(Record... records) {
        return RecordBatch.of(records);
    }

    static RecordBatch ids(int n) {
        List<Record> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) rs.add(Record.builder().set("id", (long) i).build());
        return RecordBatch.of(rs);
    }
}
