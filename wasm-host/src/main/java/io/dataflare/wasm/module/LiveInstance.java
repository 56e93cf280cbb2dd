package io.dataflare.wasm.module;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import io.dataflare.wasm.sandbox.SandboxOptions;
import io.dataflare.wasm.sandbox.WasiSupport;
import java.util.ArrayList;
import java.util.List;

/**
 * The current WASM instance of one plugin instance, with the WASI it was given when granted: created
 * on demand, dropped after any failure (its state is then unknown) so the next call starts afresh.
 */
public final class LiveInstance implements AutoCloseable {
    private final LoadedModule module;
    private final SandboxOptions options;
    private final System.Logger log;
    private final List<String> wasiGrants;
    private Instance instance;
    private WasiSupport wasi;

    /**
     * @param wasiGrants {@code wasi} and the {@code wasi:dir:PATH} capabilities the stage granted this module
     *     (empty: no WASI)
     */
    public LiveInstance(LoadedModule module, SandboxOptions options, System.Logger log, List<String> wasiGrants) {
        this.module = module;
        this.options = options;
        this.log = log;
        this.wasiGrants = List.copyOf(wasiGrants);
    }

    /** The instance, or null when there is none. */
    public Instance get() {
        return instance;
    }

    /** Creates the instance with these host functions (plus WASI when the stage granted it); runs its start function. */
    public Instance create(List<HostFunction> hostFunctions) {
        List<HostFunction> fns = new ArrayList<>(hostFunctions);
        if (wasiGrants.contains("wasi")) {
            wasi = WasiSupport.create(wasiGrants, module.pluginDir(), log);
            fns.addAll(List.of(wasi.functions()));
        }
        instance = module.instantiate(
                options,
                ImportValues.builder()
                        .addFunction(fns.toArray(new HostFunction[0]))
                        .build());
        return instance;
    }

    /** Whether the instance's memory reached its cap (a trap then counts as a limit hit). */
    public boolean atMemoryLimit() {
        return module.atMemoryLimit(instance, options);
    }

    /** Drops the instance. */
    public void discard() {
        instance = null;
        if (wasi != null) {
            wasi.close();
            wasi = null;
        }
    }

    @Override
    public void close() {
        discard();
    }
}
