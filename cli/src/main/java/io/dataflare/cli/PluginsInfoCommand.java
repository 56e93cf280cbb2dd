package io.dataflare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.engine.Engine;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginReference;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare plugins info NAME[@RANGE]}: the plugin version a {@code use:} of that name and range
 * would get (a component name or a plugin id): its manifest, the options of its components, its resolved
 * dependencies and the capabilities it requests, split into those every stage has and those a stage must be
 * granted; or, when no version is usable, the best candidate and why.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the plugin NAME[@RANGE] resolves to (NAME: a component or a plugin id): manifest, config spec of each",
            "component, resolved dependencies, the capabilities it requests (granted by default or needing a stage's",
            "grants:), and the other installed versions. Exit code: 0 found, 1 not installed."
        })
final class PluginsInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Parameters(
            paramLabel = "NAME[@RANGE]",
            description = "A component name or plugin id, with an optional version range (^1.2, 2.x...).")
    String reference;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PluginReference ref;
        try {
            ref = PluginReference.parse(reference);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + reference + ": " + e.getMessage());
            return ExitCodes.INVALID;
        }
        try (Engine engine = folders.engine()) {
            List<PluginEntry> matching = new ArrayList<>();
            for (PluginEntry e : engine.plugins().entries()) {
                if (e.manifest() != null && matches(e, ref.name())) matching.add(e);
            }
            matching.sort(Comparator.comparing((PluginEntry e) -> version(e.manifest()))
                    .reversed());
            PluginEntry chosen = matching.stream()
                    .filter(e -> e.usable() && ref.range().includes(e.manifest().getVersion()))
                    .findFirst()
                    .orElse(matching.stream()
                            .filter(e -> ref.range().includes(e.manifest().getVersion()))
                            .findFirst()
                            .orElse(null));
            if (chosen == null) {
                spec.commandLine()
                        .getErr()
                        .println("error: no plugin or component named '" + ref.name() + "'"
                                + (matching.isEmpty()
                                        ? " is installed"
                                        : " satisfies " + ref.range() + " (installed: "
                                                + String.join(
                                                        ", ",
                                                        matching.stream()
                                                                .map(e -> e.manifest()
                                                                        .getVersion())
                                                                .distinct()
                                                                .toList())
                                                + ")"));
                return ExitCodes.FAILED;
            }
            Map<String, Object> info = info(chosen, matching);
            if (json) out.println(new ObjectMapper().writeValueAsString(info));
            else print(info, out);
            return ExitCodes.OK;
        }
    }

    private static boolean matches(PluginEntry e, String name) {
        if (e.manifest().getPluginId().equals(name)) return true;
        return e.plugin() != null
                && e.plugin().components().stream().anyMatch(f -> f.name().equals(name));
    }

    private static Version version(PluginManifest m) {
        return Version.tryParse(m.getVersion()).orElse(Version.of(0));
    }

    private static Map<String, Object> info(PluginEntry e, List<PluginEntry> all) {
        PluginManifest m = e.manifest();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("plugin", m.getPluginId());
        i.put("version", m.getVersion());
        i.put("language", e.language());
        i.put("state", e.state().name().toLowerCase(Locale.ROOT));
        if (e.reason() != null) i.put("reason", e.reason());
        i.put("file", e.file() == null ? null : e.file().toString());
        i.put("kinds", m.kinds());
        i.put("requires", m.getRequires());
        i.put("description", m.getPluginDescription());
        i.put("license", m.getLicense());
        i.put("provider", m.getProvider());
        i.put("checksum", m.checksum());
        i.put("capabilities", m.capabilities());
        // What it requests, split by who grants it: plugin-local ones every stage has, the rest only a stage's
        // grants: (or a server's per-plugin grants) give.
        i.put("requested", m.capabilities());
        i.put(
                "granted_by_default",
                Grants.defaults().all().stream()
                        .filter(m.capabilities()::contains)
                        .sorted()
                        .toList());
        i.put("needs_grant", Grants.defaults().missing(m.capabilities()));
        i.put(
                "dependencies",
                m.getDependencies().stream()
                        .map(d -> d.getPluginId() + (d.isOptional() ? "?" : "") + "@" + d.getPluginVersionSupport())
                        .toList());
        i.put("resolved_dependencies", e.dependencies());
        List<Map<String, Object>> components = new ArrayList<>();
        List<PluginFactory<?>> factories =
                e.plugin() == null ? List.of() : e.plugin().components();
        for (PluginFactory<?> f : factories) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", f.name());
            c.put("kind", f.kind().label());
            c.put("description", f.description());
            List<Map<String, Object>> options = new ArrayList<>();
            for (ConfigOption o : f.configSpec().options()) {
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("name", o.name());
                op.put("type", o.type().name().toLowerCase(Locale.ROOT));
                op.put("required", o.required());
                op.put("default", o.defaultValue());
                op.put("description", o.description());
                if (!o.allowedValues().isEmpty()) op.put("allowed", o.allowedValues());
                options.add(op);
            }
            c.put("config", options);
            components.add(c);
        }
        i.put("components", components);
        List<String> versions = new ArrayList<>();
        for (PluginEntry o : all) {
            if (o != e)
                versions.add(o.manifest().getVersion() + " (" + o.state().name().toLowerCase(Locale.ROOT) + ")");
        }
        i.put("other_versions", versions);
        return i;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> i, PrintWriter out) {
        out.println(i.get("plugin") + "@" + i.get("version") + "  (" + i.get("language") + ", " + i.get("state") + ")");
        if (i.containsKey("reason")) out.printf("  %-23s%s%n", "why:", i.get("reason"));
        for (String k : List.of(
                "description",
                "file",
                "kinds",
                "requires",
                "license",
                "provider",
                "checksum",
                "requested",
                "granted_by_default",
                "needs_grant",
                "dependencies",
                "resolved_dependencies",
                "other_versions")) {
            Object v = i.get(k);
            if (v == null || v.toString().isEmpty() || (v instanceof List<?> l && l.isEmpty())) continue;
            out.printf(
                    "  %-23s%s%n",
                    k.replace('_', ' ') + ":", v instanceof List<?> l ? String.join(", ", (List<String>) l) : v);
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) i.get("components")) {
            out.println();
            out.println("  " + c.get("kind") + " " + c.get("name")
                    + (c.get("description").toString().isEmpty() ? "" : ": " + c.get("description")));
            List<Map<String, Object>> options = (List<Map<String, Object>>) c.get("config");
            if (options.isEmpty()) out.println("    (no options)");
            for (Map<String, Object> o : options) {
                String flags = Boolean.TRUE.equals(o.get("required"))
                        ? "required"
                        : o.get("default") == null ? "optional" : "default " + o.get("default");
                if (o.containsKey("allowed")) flags += "; one of " + o.get("allowed");
                out.printf("    %-18s %-12s %-22s %s%n", o.get("name"), o.get("type"), flags, o.get("description"));
            }
        }
    }
}
