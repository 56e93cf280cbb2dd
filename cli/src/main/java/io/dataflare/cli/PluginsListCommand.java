package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.PluginEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataflare plugins list}: every version of every plugin file, with its state and why it is not usable. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Every plugin file in the plugin folders, every version: its components, kind, version, language, state",
            "(loaded, failed, incompatible, unresolved, shadowed, stale, retired) and why it is not usable."
        })
final class PluginsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Option(
            names = "--json",
            description = "Print a JSON array (one object per component; files that did not load have name \"-\").")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = folders.engine()) {
            List<Map<String, Object>> rows = rows(engine.plugins().entries());
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(rows));
                return ExitCodes.OK;
            }
            String format = "%-20s %-13s %-22s %-9s %-10s %-12s %s%n";
            out.printf(format, "NAME", "KIND", "PLUGIN", "VERSION", "LANGUAGE", "STATE", "DETAIL");
            for (Map<String, Object> r : rows) {
                out.printf(
                        format,
                        r.get("name"),
                        r.get("kind"),
                        r.get("plugin"),
                        r.get("version"),
                        r.get("language"),
                        r.get("state"),
                        detail(r));
            }
            if (rows.isEmpty()) out.println("(no plugins in " + folders.folders() + ")");
            return ExitCodes.OK;
        }
    }

    private static Object detail(Map<String, Object> r) {
        Object d = r.getOrDefault("reason", r.getOrDefault("description", ""));
        // A file that is not usable may have no manifest to name it by: say which file it is.
        if (!"loaded".equals(r.get("state")) && r.get("file") != null) d = r.get("file") + ": " + d;
        return r.containsKey("dependencies")
                ? d + (d.toString().isEmpty() ? "" : "; ") + "uses " + String.join(", ", deps(r))
                : d;
    }

    @SuppressWarnings("unchecked")
    private static List<String> deps(Map<String, Object> r) {
        return (List<String>) r.get("dependencies");
    }

    /** One row per component of each entry; one row (name "-") for an entry that has none to show. */
    static List<Map<String, Object>> rows(List<PluginEntry> entries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PluginEntry e : entries) {
            PluginManifest m = e.manifest();
            List<PluginFactory<?>> components =
                    e.plugin() == null ? List.of() : e.plugin().components();
            if (components.isEmpty()) {
                rows.add(row(
                        "-", m == null ? "-" : String.join(",", m.kinds().isEmpty() ? List.of("-") : m.kinds()), m, e));
                continue;
            }
            for (PluginFactory<?> f : components) {
                Map<String, Object> r = row(f.name(), f.kind().label(), m, e);
                if (!f.description().isEmpty()) r.put("description", f.description());
                rows.add(r);
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String name, String kind, PluginManifest m, PluginEntry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("kind", kind);
        r.put("plugin", m == null ? "-" : m.getPluginId());
        r.put("version", m == null ? "-" : m.getVersion());
        r.put("language", e.language());
        r.put("state", e.state().name().toLowerCase(Locale.ROOT));
        r.put("file", e.file() == null ? null : e.file().toString());
        if (e.reason() != null) r.put("reason", e.reason());
        if (!e.dependencies().isEmpty()) r.put("dependencies", e.dependencies());
        return r;
    }
}
