package io.dataflare.api.sink;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/**
 * Creates {@link Sink}s; a plugin's entry point for a sink component.
 *
 * @since 1.0.0
 */
public interface SinkFactory extends PluginFactory<Sink> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.SINK;
    }
}
