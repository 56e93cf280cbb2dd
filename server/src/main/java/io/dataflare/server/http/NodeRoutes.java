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
        r.get("/api/nodes/{id}", this::show);
        r.post("/api/nodes/{id}/heartbeat", this::heartbeat);
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
