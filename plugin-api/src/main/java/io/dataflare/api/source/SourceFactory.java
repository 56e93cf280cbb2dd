package io.dataflare.api.source;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/** Creates {@link Source}s; a plugin's entry point for a source component. */
public interface SourceFactory extends PluginFactory<Source> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.SOURCE;
    }
}
