package io.dataflare.polyglot.plugin;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;

/** The processor component of a script plugin, named by the manifest's id (or the file name). */
public final class ScriptProcessorFactory implements ProcessorFactory {
    private final ScriptPlugin plugin;

    ScriptProcessorFactory(ScriptPlugin plugin) {
        this.plugin = plugin;
    }

    @Override
    public String name() {
        return plugin.manifest().getPluginId();
    }

    @Override
    public String description() {
        String d = plugin.manifest().getPluginDescription();
        return d == null || d.isBlank() ? plugin.label() : d;
    }

    @Override
    public ConfigSpec configSpec() {
        return plugin.configSpec();
    }

    /** Python scripts are parsed here (pipeline validation): only pipelines that use one pay for starting Python. */
    @Override
    public void validate(PluginConfig config) {
        plugin.checkSyntax();
    }

    @Override
    public Processor create(PluginContext context) {
        return plugin.newInstance(context);
    }

    public ScriptPlugin plugin() {
        return plugin;
    }
}
