package io.dataflare.api.source;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/**
 * Creates {@link Source}s; a plugin's entry point for a source component.
 *
 * @since 1.0.0
 */
public interface SourceFactory extends PluginFactory<Source> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.SOURCE;
    }
}
