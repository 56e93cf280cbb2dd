package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import io.dataflare.engine.host.PluginLoadException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deny by default: a module may import only the host functions its manifest's capabilities request (which
 * the stage running it must then be granted, checked when a component is created). Anything else (another
 * module's functions, memories, tables, globals) fails the load, naming the import and the capability that
 * would allow it.
 */
public final class ImportPolicy {
    public static final String DATAFLARE = "dataflare";
    public static final String EXTISM = "extism:host/env";
    public static final String WASI = "wasi_snapshot_preview1";

    private static final Set<String> DATAFLARE_CORE = Set.of("output", "error", "config");
    private static final Set<String> DATAFLARE_STATE = Set.of("state_get", "state_set", "state_delete");
    private static final Set<String> EXTISM_CORE = Set.of(
            "alloc",
            "free",
            "length",
            "length_unsafe",
            "load_u8",
            "load_u64",
            "store_u8",
            "store_u64",
            "input_length",
            "input_offset",
            "input_load_u8",
            "input_load_u64",
            "output_set",
            "error_set",
            "config_get");
    private static final Set<String> EXTISM_LOG =
            Set.of("log_trace", "log_debug", "log_info", "log_warn", "log_error", "get_log_level");
    private static final Set<String> EXTISM_STATE = Set.of("var_get", "var_set");
    /** Extism's HTTP functions: allowed to a module that requests an {@code http:} capability. */
    public static final List<String> EXTISM_HTTP = List.of("http_request", "http_status_code", "http_headers");

    private ImportPolicy() {}

    /** Whether the module imports from Extism's host module. */
    public static ModuleKind kind(WasmModule module) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (EXTISM.equals(module.importSection().getImport(i).module())) return ModuleKind.EXTISM;
        }
        return ModuleKind.DATAFLARE;
    }

    /**
     * Checks every import against the requested capabilities.
     *
     * @throws PluginLoadException naming the first import that is not granted
     */
    public static void check(WasmModule module, ModuleKind kind, List<String> capabilities) throws PluginLoadException {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            String name = imp.module() + "." + imp.name();
            if (imp.importType() != ExternalType.FUNCTION) {
                throw new PluginLoadException(
                        "imports " + imp.importType().name().toLowerCase(java.util.Locale.ROOT) + " " + name
                                + ": a plugin may import host functions only");
            }
            String why = refusal(imp.module(), imp.name(), kind, capabilities);
            if (why != null) throw new PluginLoadException("imports " + name + ", which is not granted: " + why);
        }
    }

    private static String refusal(String module, String name, ModuleKind kind, List<String> caps) {
        switch (module) {
            case DATAFLARE:
                if (kind != ModuleKind.DATAFLARE) return "an Extism plugin cannot use the DataFlare ABI";
                if (DATAFLARE_CORE.contains(name)) return null;
                if (name.equals("log")) return needs(caps, "log");
                if (DATAFLARE_STATE.contains(name)) return needs(caps, "state");
                return "the DataFlare ABI has no function '" + name + "' (see ABI.md: "
                        + String.join(", ", all(DATAFLARE_CORE, Set.of("log"), DATAFLARE_STATE)) + ")";
            case EXTISM:
                if (EXTISM_CORE.contains(name)) return null;
                if (EXTISM_LOG.contains(name)) return needs(caps, "log");
                if (EXTISM_STATE.contains(name)) return needs(caps, "state");
                if (EXTISM_HTTP.contains(name)) return needsFamily(caps, "http:", "http:HOST");
                return "the Extism host has no function '" + name + "'";
            case WASI:
                return needs(caps, "wasi");
            default:
                return "no capability grants imports from module '" + module + "'";
        }
    }

    private static String needs(List<String> caps, String capability) {
        return caps.contains(capability) ? null : "add '" + capability + "' to the manifest's capabilities";
    }

    private static String needsFamily(List<String> caps, String family, String example) {
        for (String c : caps) if (c.startsWith(family)) return null;
        return "add '" + example + "' to the manifest's capabilities";
    }

    /** Whether the module imports {@code name} from import module {@code from}. */
    public static boolean imports(WasmModule module, String from, String name) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp.module().equals(from) && imp.name().equals(name)) return true;
        }
        return false;
    }

    /** Whether the module imports anything from import module {@code from}. */
    public static boolean importsFrom(WasmModule module, String from) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i).module().equals(from)) return true;
        }
        return false;
    }

    private static Set<String> all(Set<String> a, Set<String> b, Set<String> c) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        s.addAll(c);
        return s;
    }
}
