package io.dataflare.server.http;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.pipeline.PipelineSchema;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.server.task.PluginActivity;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/plugins}: the components the server can run (as {@code dataflare plugins list} shows them, each with
 * its state), whether the server watches its plugin folders, the recent plugin events, and one component's options.
 */
final class PluginRoutes {
    private final PluginRegistry registry;
    private final PluginActivity activity;

    PluginRoutes(PluginRegistry registry, PluginActivity activity) {
        this.registry = registry;
        this.activity = activity;
    }

    void register(RoutesConfig r) {
        r.get("/api/plugins", this::list);
        r.get("/api/plugins/{name}", this::show);
        r.get("/api/schema/pipeline", this::pipelineSchema);
    }

    /** The JSON Schema of pipeline files for the usable plugins, the server's built-ins among them. */
    private void pipelineSchema(Context ctx) {
        ctx.status(200)
                .contentType("application/schema+json")
                .result(PipelineSchema.of(registry.plugins()).toString());
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginEntry e : registry.entries()) {
            Map<String, Object> signature = PluginSignatureView.of(e, registry.trust()); // once per file
            if (e.plugin() == null) { // not loaded (failed, shadowed, ...): the file, its state and why
                out.add(withSignature(component(null, e), signature));
                continue;
            }
            for (PluginFactory<?> f : e.plugin().components()) out.add(withSignature(component(f, e), signature));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plugins", out);
        body.put("watching", registry.isWatching());
        body.put("events", activity.recent());
        TaskRoutes.json(ctx, 200, body);
    }

    /** The components named {@code name}, or those of the plugin with that id, with their options. */
    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginEntry e : registry.entries()) {
            if (e.plugin() == null) continue;
            for (PluginFactory<?> f : e.plugin().components()) {
                if (!f.name().equals(name) && !e.manifest().getPluginId().equals(name)) continue;
                Map<String, Object> c = component(f, e);
                List<Map<String, Object>> options = new ArrayList<>();
                for (ConfigOption o : f.configSpec().options()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", o.name());
                    m.put("type", o.type().label());
                    m.put("required", o.required());
                    m.put("default", o.defaultValue());
                    m.put("description", o.description());
                    if (!o.allowedValues().isEmpty()) m.put("allowed", o.allowedValues());
                    options.add(m);
                }
                c.put("options", options);
                out.add(c);
            }
        }
        if (out.isEmpty()) throw new RequestException(404, "not_found", "no plugin or component named '" + name + "'");
        TaskRoutes.json(ctx, 200, Map.of("name", name, "components", out));
    }

    private static Map<String, Object> component(PluginFactory<?> f, PluginEntry e) {
        PluginManifest m = e.manifest();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", f == null ? null : f.name());
        r.put("kind", f == null ? null : f.kind().label());
        r.put("plugin", m == null ? null : m.getPluginId());
        r.put("version", m == null ? null : m.getVersion());
        r.put("language", e.language());
        r.put("state", e.state().name().toLowerCase(Locale.ROOT));
        r.put("file", e.file() == null ? null : e.file().toString());
        r.put("description", f == null ? null : f.description());
        r.put("capabilities", m == null ? List.of() : m.capabilities());
        if (e.reason() != null) r.put("reason", e.reason());
        return r;
    }

    private static Map<String, Object> withSignature(Map<String, Object> component, Map<String, Object> signature) {
        component.put("signature", signature);
        return component;
    }
}
