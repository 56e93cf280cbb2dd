package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.WasmModule;
import io.dataflare.api.ComponentKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The policy entry points of the DataFlare ABI, and which policy kind each makes a module. */
public final class PolicyExports {
    public static final String RETRY = "df_retry", ERROR_ROUTE = "df_error_route", ROUTE = "df_route";
    /** Every policy export, in the order of {@link #of}. */
    public static final List<String> NAMES = List.of(RETRY, ERROR_ROUTE, ROUTE);

    private PolicyExports() {}

    /** The policy kinds {@code module} provides (one per policy export), keyed by export. */
    public static Map<String, ComponentKind> of(WasmModule module) {
        Map<String, ComponentKind> out = new LinkedHashMap<>();
        if (ModuleLoader.exportsFunction(module, RETRY)) out.put(RETRY, ComponentKind.RETRY_POLICY);
        if (ModuleLoader.exportsFunction(module, ERROR_ROUTE)) out.put(ERROR_ROUTE, ComponentKind.ERROR_POLICY);
        if (ModuleLoader.exportsFunction(module, ROUTE)) out.put(ROUTE, ComponentKind.KEY_ROUTER);
        return out;
    }
}
