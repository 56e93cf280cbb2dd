package io.dataflare.wasm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.wasm.abi.AbiPlugins;
import io.dataflare.wasm.extism.ExtismOptions;
import io.dataflare.wasm.extism.ExtismProcessor;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.module.ModuleKind;
import io.dataflare.wasm.sandbox.SandboxOptions;
import java.util.List;
import java.util.Set;

/**
 * A component of a WASM plugin, named by its manifest id: the one processor, source or sink, or one per policy
 * export of a policy module. Its options are the manifest's plus the sandbox's (and, for an Extism plugin, how
 * records map to calls). Each {@link #create} checks that the stage grants what the manifest requests and makes
 * an independent instance with its own WASM instance: the engine creates one per worker thread.
 */
final class WasmComponentFactory implements PluginFactory<AutoCloseable> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadedModule module;
    private final ComponentKind kind;
    private final ConfigSpec spec;

    WasmComponentFactory(LoadedModule module, ComponentKind kind) {
        this.module = module;
        this.kind = kind;
        List<io.dataflare.api.config.ConfigOption> extra =
                module.kind() == ModuleKind.EXTISM ? ExtismOptions.options() : List.of();
        this.spec = SandboxOptions.spec(module.manifest().config(), extra);
    }

    @Override
    public String name() {
        return module.manifest().manifest().getPluginId();
    }

    @Override
    public ComponentKind kind() {
        return kind;
    }

    @Override
    public String description() {
        String d = module.manifest().manifest().getPluginDescription();
        String how = module.kind() == ModuleKind.EXTISM ? "Extism plugin" : "WASM";
        return (d.isEmpty() ? "" : d + " ") + "(" + how + ", " + module.code().describe() + ")";
    }

    @Override
    public ConfigSpec configSpec() {
        return spec;
    }

    @Override
    public void validate(PluginConfig config) {
        SandboxOptions.from(config, module.minPages());
        if (module.kind() == ModuleKind.EXTISM) {
            ExtismOptions o = ExtismOptions.from(config);
            if (!module.exportsFunction(o.function())) {
                throw new ConfigException(
                        ExtismOptions.FUNCTION, "the module exports no function '" + o.function() + "'");
            }
        }
    }

    @Override
    public AutoCloseable create(PluginContext context) throws Exception {
        GrantCheck granted = GrantCheck.of(module, context);
        PluginConfig config = context.config();
        SandboxOptions sandbox = SandboxOptions.from(config, module.minPages());
        if (module.kind() == ModuleKind.EXTISM) {
            return new ExtismProcessor(
                    module, sandbox, ExtismOptions.from(config), context.logger(), granted.grants(), granted.wasi());
        }
        byte[] json = JSON.writeValueAsBytes(SandboxOptions.moduleConfig(config, Set.of()));
        return AbiPlugins.create(module, kind, sandbox, json, context.logger(), granted.wasi(), () -> {
            try {
                return context.state().value("wasm.state", io.dataflare.api.state.StateType.bytes());
            } catch (UnsupportedOperationException e) {
                return null; // outside the engine: the in-memory map
            }
        });
    }

    LoadedModule module() {
        return module;
    }
}
