package io.dataflare.api.processor;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

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
}
