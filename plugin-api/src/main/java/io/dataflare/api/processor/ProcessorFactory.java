package io.dataflare.api.processor;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.PluginConfig;
import java.util.List;

/**
 * Creates {@link Processor}s; a plugin's entry point for a processor component.
 *
 * @since 1.0.0
 */
public interface ProcessorFactory extends PluginFactory<Processor> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.PROCESSOR;
    }

    /**
     * The named outputs a processor configured with {@code config} emits to, known before the run so
     * that the engine can check the pipeline: later stages read one with {@code from: stage.output}.
     * A processor that declares any emits only to them, adding each record with
     * {@link io.dataflare.api.data.RecordBatch.Builder#add(String, io.dataflare.api.data.Record)}: a record
     * added without an output name, or naming one not declared, fails the run, and {@code from: stage}
     * without an output is a validation error. Names are letters, digits, '_' and '-', each once. The
     * default declares none: the processor has its one main output, read with {@code from: stage}.
     *
     * @param config the validated configuration
     *
     * @since 1.1.0
     */
    default List<String> outputs(PluginConfig config) {
        return List.of();
    }
}
