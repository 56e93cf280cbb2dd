package io.dataflare.wasm.module;

import com.dylibso.chicory.wasm.WasmModule;
import io.dataflare.engine.host.ManifestReader;
import io.dataflare.engine.host.PluginLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest of an Extism plugin that comes without one, so that a module built with any Extism PDK runs
 * as it is: id and version from its file name ({@code name-1.2.3.wasm}; else the file name and {@code
 * 0.0.0}), kind processor, requesting Extism's plugin-local capabilities ({@code log}, {@code state}: vars) and
 * only what its imports need beyond them ({@code http:*} for {@code http_request}, {@code wasi} for WASI): the
 * stage must be granted those.
 */
final class AsIsManifest {
    private static final Pattern NAME_VERSION =
            Pattern.compile("(.+?)-(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?)\\.wasm");

    private AsIsManifest() {}

    /** Whether {@code module} may run without a manifest: it is an Extism plugin. */
    static boolean applies(WasmModule module) {
        return ImportPolicy.importsFrom(module, ImportPolicy.EXTISM);
    }

    static ManifestReader.Parsed of(Path file, WasmModule module, String hash) throws PluginLoadException {
        String name = file.getFileName().toString();
        Matcher m = NAME_VERSION.matcher(name);
        String id;
        String version;
        if (m.matches()) {
            id = m.group(1);
            version = m.group(2);
        } else {
            id = name.toLowerCase(Locale.ROOT).endsWith(".wasm") ? name.substring(0, name.length() - 5) : name;
            version = "0.0.0";
        }
        // Extism's plugin-local functions (log, vars) come with every Extism plugin, and every stage grants them
        List<String> requests = new ArrayList<>(List.of("log", "state"));
        for (String fn : ImportPolicy.EXTISM_HTTP) {
            if (ImportPolicy.imports(module, ImportPolicy.EXTISM, fn)) {
                requests.add("http:*");
                break;
            }
        }
        if (ImportPolicy.importsFrom(module, ImportPolicy.WASI)) requests.add("wasi");
        String yaml = "id: '" + id(id) + "'\nversion: '" + version + "'\nkind: processor\n"
                + "description: 'Extism plugin without a manifest (" + name.replace("'", "''") + ")'\n"
                + "capabilities: ["
                + String.join(", ", requests.stream().map(r -> "'" + r + "'").toList()) + "]\n";
        return ManifestReader.parse(yaml, name + " (no manifest: an Extism plugin as it is)", "wasm", hash);
    }

    /** The file name as a plugin id: lower case, characters other than letters, digits, '.', '_', '-' as '-'. */
    private static String id(String stem) {
        String s = stem.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "x" + s : s;
    }
}
