package io.dataflare.wasm.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.List;

/** A small builder for the host functions of one import module. */
public final class HostFunctions {
    private final String module;
    private final List<HostFunction> functions = new ArrayList<>();

    public HostFunctions(String module) {
        this.module = module;
    }

    /** Adds {@code name(params) -> results}; types are written as in WAT: "i32", "i64". */
    public HostFunctions add(String name, String params, String results, WasmFunctionHandle handle) {
        functions.add(new HostFunction(module, name, FunctionType.of(types(params), types(results)), handle));
        return this;
    }

    private static List<ValType> types(String spec) {
        List<ValType> out = new ArrayList<>();
        for (String t : spec.trim().split("\\s+")) {
            if (t.isEmpty()) continue;
            out.add(
                    switch (t) {
                        case "i32" -> ValType.I32;
                        case "i64" -> ValType.I64;
                        default -> throw new IllegalArgumentException(t);
                    });
        }
        return out;
    }

    public List<HostFunction> list() {
        return functions;
    }
}
