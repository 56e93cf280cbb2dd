package io.dataflare.engine.pipeline;

import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.plugin.ResolvedComponent;
import java.util.List;

/**
 * A component resolved to a plugin version, with its validated configuration and the capabilities its stage
 * is granted (which cover everything its manifest requests).
 */
public record ComponentPlan(ResolvedComponent component, PluginConfig config, Grants grants) {
    /** The plugin as {@code id@version}. */
    public String pluginLabel() {
        return component.pluginLabel();
    }

    /**
     * The named outputs the component declares for its configuration: a processor's
     * {@link ProcessorFactory#outputs}, none for other kinds.
     *
     * @throws RuntimeException what the plugin throws
     */
    public List<String> outputs() {
        return component.factory() instanceof ProcessorFactory pf ? List.copyOf(pf.outputs(config)) : List.of();
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
