package io.dataflare.wasm;

import io.dataflare.api.PluginContext;
import io.dataflare.engine.host.Grants;
import io.dataflare.wasm.module.ImportPolicy;
import io.dataflare.wasm.module.LoadedModule;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a stage lets a component of a module reach: the manifest's capabilities are requests, and every one
 * must be covered by the stage's grants before an instance is made (the module's imports are bounded by the
 * requests at load). WASI and its folders are given only as granted.
 *
 * @param grants the stage's grants
 * @param wasi   {@code wasi} and {@code wasi:dir:PATH} when requested and granted, else empty
 */
record GrantCheck(Grants grants, List<String> wasi) {
    /**
     * The stage's grants for {@code module}.
     *
     * @throws SecurityException listing what the module requests and what the stage is granted, when a request
     *     is not granted
     */
    static GrantCheck of(LoadedModule module, PluginContext context) {
        Grants grants = Grants.of(context);
        List<String> requested = module.manifest().manifest().capabilities();
        List<String> missing = grants.missing(requested);
        if (!missing.isEmpty()) {
            List<String> http = new ArrayList<>();
            for (String fn : ImportPolicy.EXTISM_HTTP) {
                if (ImportPolicy.imports(module.module(), ImportPolicy.EXTISM, fn))
                    http.add(ImportPolicy.EXTISM + "." + fn);
            }
            throw new SecurityException("wasm plugin " + module.label() + " requests " + requested + " but stage '"
                    + context.stage() + "' is granted " + new TreeSet<>(grants.all()) + ": not granted: "
                    + String.join(", ", missing)
                    + (http.isEmpty() || missing.stream().noneMatch(m -> m.startsWith("http:"))
                            ? ""
                            : " (it imports " + String.join(", ", http) + ")")
                    + "; add what it needs to the stage's grants: (e.g. grants: [" + example(missing.get(0)) + "])");
        }
        List<String> wasi = new ArrayList<>();
        for (String r : requested) {
            if (r.equals("wasi") || r.startsWith("wasi:dir:")) wasi.add(r);
        }
        return new GrantCheck(grants, wasi);
    }

    private static String example(String missing) {
        return missing.equals("http:*") ? "http:HOST" : missing;
    }
}
