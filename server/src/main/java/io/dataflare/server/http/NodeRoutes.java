package io.dataflare.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.server.node.EdgeNodes;
import io.dataflare.server.task.TaskSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/nodes}: edge nodes report to the central server ({@code POST /api/nodes/{id}/heartbeat}, answered
 * with the tasks assigned to them) and are listed with their health and what they run.
 */
final class NodeRoutes {
    private final EdgeNodes nodes;

    NodeRoutes(EdgeNodes nodes) {
        this.nodes = nodes;
    }

    void register(RoutesConfig r) {
        r.get("/api/nodes", ctx -> TaskRoutes.json(ctx, 200, Map.of("nodes", nodes.list())));
        // before /api/nodes/{id}, which would take 'assignments' for a node id
        r.get(
                "/api/nodes/assignments",
                ctx -> TaskRoutes.json(ctx, 200, Map.of("assignments", nodes.describeAssignments())));
        r.put("/api/nodes/assignments/{id}", this::assign);
        r.delete("/api/nodes/assignments/{id}", this::unassign);
        r.get("/api/nodes/plugins/{name}", this::plugin);
        r.get("/api/nodes/{id}", this::show);
        r.post("/api/nodes/{id}/heartbeat", this::heartbeat);
    }

    /** {@code PUT /api/nodes/assignments/{id}}: {@code {selector, pipeline, format?, plugins?}}. */
    private void assign(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        if (!TaskSpec.validId(id))
            throw RequestException.badRequest(
                    "an assignment id is a task id: letters, digits, '-', '_' and '.' (at most 64 characters): " + id);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
        } catch (JsonProcessingException e) {
            throw RequestException.badRequest("the assignment is not JSON: " + e.getOriginalMessage());
        }
        if (!body.isObject())
            throw RequestException.badRequest("the assignment must be a JSON object {selector, pipeline}");
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String k = names.next();
            if (!List.of("selector", "pipeline", "format", "plugins").contains(k))
                throw RequestException.badRequest(
                        "unknown field '" + k + "' in the assignment (known: selector, pipeline, format, plugins)");
        }
        JsonNode sel = body.path("selector");
        if (!sel.isObject())
            throw RequestException.badRequest(
                    "'selector' must be an object of labels, e.g. {\"role\": \"sensor\"} ({} selects every node)");
        Map<String, String> selector = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : sel.properties()) {
            if (!e.getValue().isTextual())
                throw RequestException.badRequest("'selector." + e.getKey() + "' must be a string");
            selector.put(e.getKey(), e.getValue().asText());
        }
        JsonNode p = body.path("pipeline");
        if (!p.isTextual()) throw RequestException.badRequest("'pipeline' must be the pipeline's text (a string)");
        JsonNode f = body.path("format");
        if (!f.isMissingNode() && !f.isTextual())
            throw RequestException.badRequest("'format' must be yaml, json or toml");
        List<String> plugins = new ArrayList<>();
        JsonNode pl = body.path("plugins");
        if (!pl.isMissingNode() && !pl.isArray())
            throw RequestException.badRequest("'plugins' must be a list of plugin file names");
        for (JsonNode n : pl) {
            if (!n.isTextual()) throw RequestException.badRequest("each of 'plugins' must be a file name (a string)");
            plugins.add(n.asText());
        }
        EdgeNodes.Assignment a;
        try {
            a = nodes.assign(id, selector, f.asText("yaml"), p.asText(), plugins);
        } catch (IllegalArgumentException e) {
            throw RequestException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new RequestException(409, "conflict", e.getMessage());
        }
        TaskRoutes.json(ctx, 200, nodes.describe(a));
    }

    private void unassign(Context ctx) {
        String id = ctx.pathParam("id");
        boolean removed;
        try {
            removed = nodes.unassign(id);
        } catch (IllegalStateException e) {
            throw new RequestException(409, "conflict", e.getMessage());
        }
        if (!removed) throw RequestException.notFound("no edge task '" + id + "' is assigned through the API");
        ctx.status(204);
    }

    /** {@code GET /api/nodes/plugins/{name}}: a plugin file an assignment names, for the nodes to install. */
    private void plugin(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        java.nio.file.Path f = nodes.pluginFile(name);
        if (f == null)
            throw RequestException.notFound(
                    "no assignment names a plugin file '" + name + "' that is in the central server's plugin folders");
        ctx.status(200);
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Length", Long.toString(java.nio.file.Files.size(f)));
        ctx.result(java.nio.file.Files.newInputStream(f));
    }

    private void show(Context ctx) {
        Map<String, Object> node = nodes.get(ctx.pathParam("id"));
        if (node == null) throw RequestException.notFound("no edge node '" + ctx.pathParam("id") + "' has reported");
        TaskRoutes.json(ctx, 200, node);
    }

    private void heartbeat(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        if (!TaskSpec.validId(id))
            throw RequestException.badRequest(
                    "a node id is letters, digits, '-', '_' and '.' (at most 64 characters): " + id);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
        } catch (JsonProcessingException e) {
            throw RequestException.badRequest("the heartbeat is not JSON: " + e.getOriginalMessage());
        }
        if (!body.isObject()) throw RequestException.badRequest("the heartbeat must be a JSON object");
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = body.path("labels");
        if (!l.isMissingNode() && !l.isObject())
            throw RequestException.badRequest("'labels' must be an object of strings");
        l.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> capabilities = new ArrayList<>();
        body.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (JsonNode t : body.path("tasks")) {
            if (!t.isObject()) throw RequestException.badRequest("each of 'tasks' must be an object");
            @SuppressWarnings("unchecked") // a JSON object converts to a map
            Map<String, Object> m = Json.MAPPER.convertValue(t, Map.class);
            tasks.add(m);
        }
        String version = body.path("version").asText(null);
        TaskRoutes.json(ctx, 200, nodes.heartbeat(id, new EdgeNodes.Report(labels, capabilities, version, tasks)));
    }
}
