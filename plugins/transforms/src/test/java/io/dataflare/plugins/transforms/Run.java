package io.dataflare.plugins.transforms;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;

/** Test helper: create a processor as the engine would and run one batch through it. */
public final class Run {
    private Run() {}

    public static Processor processor(PluginFactory<Processor> factory, Map<String, ?> config) throws Exception {
        return factory.create(SimplePluginContext.of(factory, config, null));
    }

    public static RecordBatch process(PluginFactory<Processor> factory, Map<String, ?> config, RecordBatch in)
            throws Exception {
        try (Processor p = processor(factory, config)) {
            return p.process(in);
        }
    }
}
