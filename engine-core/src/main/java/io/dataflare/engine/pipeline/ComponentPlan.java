package io.dataflare.engine.pipeline;

import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.plugin.ResolvedComponent;

/**
 * A component resolved to a plugin version, with its validated configuration and the capabilities its stage
 * is granted (which cover everything its manifest requests).
 */
public record ComponentPlan(ResolvedComponent component, PluginConfig config, Grants grants) {
    /** The plugin as {@code id@version}. */
    public String pluginLabel() {
        return component.pluginLabel();
    }

    /** For people: {@code csv-file (dataflare-files@1.0.0)}. */
    public String describe() {
        return component.describe();
    }

    /** As {@link #describe()}: never the options, which may hold secrets. */
    @Override
    public String toString() {
        return describe();
    }
}
