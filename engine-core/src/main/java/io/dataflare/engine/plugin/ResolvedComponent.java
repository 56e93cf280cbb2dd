package io.dataflare.engine.plugin;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.host.LoadedPlugin;

/** A component chosen for a pipeline stage: the plugin version and the factory within it. */
public record ResolvedComponent(LoadedPlugin plugin, PluginFactory<?> factory) {
    /** The plugin as {@code id@version}. */
    public String pluginLabel() {
        return plugin.label();
    }

    /** The component's name. */
    public String name() {
        return factory.name();
    }

    /** For people: {@code csv-file (dataflare-files@1.0.0)}. */
    public String describe() {
        return factory.name() + " (" + plugin.label() + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
