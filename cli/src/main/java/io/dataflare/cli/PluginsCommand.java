package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginManifest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataflare plugins ...}: what is installed and why something did not load. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "Lists and inspects plugins.",
        subcommands = {PluginsCommand.ListCommand.class})
final class PluginsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code dataflare plugins list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every plugin file in the plugin folders: its components, version, language and state (and why it failed).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PluginFolders folders;

        @Option(names = "--json", description = "Print a JSON array.")
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
                out.printf("%-20s %-13s %-22s %-9s %-10s %-12s %s%n", "NAME", "KIND", "PLUGIN", "VERSION", "LANGUAGE", "STATE", "DETAIL");
                for (Map<String, Object> r : rows) {
                    out.printf("%-20s %-13s %-22s %-9s %-10s %-12s %s%n", r.get("name"), r.get("kind"), r.get("plugin"), r.get("version"),
                            r.get("language"), r.get("state"), r.getOrDefault("reason", r.getOrDefault("description", "")));
                }
                if (rows.isEmpty()) out.println("(no plugins in " + folders.folders() + ")");
                return ExitCodes.OK;
            }
        }

        static List<Map<String, Object>> rows(List<PluginEntry> entries) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PluginEntry e : entries) {
                PluginManifest m = e.manifest();
                if (m == null) {
                    Map<String, Object> r = row("-", "-", "-", "-", e);
                    rows.add(r);
                    continue;
                }
                for (PluginFactory<?> f : e.plugin().components()) {
                    Map<String, Object> r = row(f.name(), f.kind().label(), m.getPluginId(), m.getVersion(), e);
                    if (!f.description().isEmpty()) r.put("description", f.description());
                    rows.add(r);
                }
            }
            return rows;
        }

        private static Map<String, Object> row(String name, String kind, String plugin, String version, PluginEntry e) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("kind", kind);
            r.put("plugin", plugin);
            r.put("version", version);
            r.put("language", e.language());
            r.put("state", e.state().name().toLowerCase(java.util.Locale.ROOT));
            r.put("file", e.file() == null ? null : e.file().toString());
            if (e.reason() != null) r.put("reason", e.reason());
            return r;
        }
    }
}
