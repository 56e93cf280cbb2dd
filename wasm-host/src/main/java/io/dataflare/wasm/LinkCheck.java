package io.dataflare.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.wasm.abi.AbiPlugins;
import io.dataflare.wasm.extism.ExtismProcessor;
import io.dataflare.wasm.module.LoadedModule;
import io.dataflare.wasm.module.ModuleKind;
import io.dataflare.wasm.sandbox.WasiSupport;
import java.util.ArrayList;
import java.util.List;

/**
 * Links a module against the host functions it will get, without running any of its code (no data
 * segments, no start function), so that an import with the wrong signature fails the load instead of
 * every batch.
 */
final class LinkCheck {
    private LinkCheck() {}

    static void check(LoadedModule module) throws PluginLoadException {
        List<HostFunction> fns = new ArrayList<>(
                module.kind() == ModuleKind.EXTISM
                        ? ExtismProcessor.hostFunctionTypes()
                        : AbiPlugins.hostFunctionTypes());
        List<String> caps = module.manifest().manifest().capabilities();
        WasiSupport wasi = caps.contains("wasi")
                ? WasiSupport.create(caps, module.pluginDir(), System.getLogger("dataflare.wasm"))
                : null;
        try {
            if (wasi != null) fns.addAll(List.of(wasi.functions()));
            Instance.builder(module.module())
                    .withImportValues(ImportValues.builder()
                            .addFunction(fns.toArray(new HostFunction[0]))
                            .build())
                    .withInitialize(false)
                    .build();
        } catch (ChicoryException e) {
            throw new PluginLoadException("does not link: " + e.getMessage(), e);
        } finally {
            if (wasi != null) wasi.close();
        }
    }
}
