package io.dataflare.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.server.workflow.ServerWorkflows;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** {@code /api/schedules...}: cron schedules that start executions of a workflow or runs of a pipeline task. */
final class ScheduleRoutes {
    private static final Set<String> FIELDS = Set.of("id", "workflow", "task", "cron", "timezone", "input", "missed");
    private static final String SHAPE = "{\"id\": ..., \"workflow\": ... (or \"task\": ...), \"cron\": \"0 3 * * *\","
            + " \"timezone\": \"Europe/Paris\", \"input\": {...}, \"missed\": \"skip\"}";

    private final ServerWorkflows workflows;

    ScheduleRoutes(ServerWorkflows workflows) {
        this.workflows = workflows;
    }

    void register(RoutesConfig r) {
        r.get("/api/schedules", ctx -> TaskRoutes.json(ctx, 200, Map.of("schedules", workflows.schedules())));
        r.post("/api/schedules", this::create);
        r.delete("/api/schedules/{id}", ctx -> {
            workflows.deleteSchedule(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    /** 201 when new, 200 when it replaced the schedule of that id; the schedule as {@code GET} lists it. */
    private void create(Context ctx) {
        JsonNode req;
        try {
            req = Json.MAPPER.readTree(ctx.body());
        } catch (IOException e) {
            throw RequestException.badRequest("the body must be a JSON object " + SHAPE);
        }
        if (req == null || !req.isObject())
            throw RequestException.badRequest("the body must be a JSON object " + SHAPE);
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw RequestException.badRequest(
                        "unknown field '" + f + "': give id, workflow or task, cron, timezone, input, missed");
        }
        if (req.has("workflow") == req.has("task"))
            throw RequestException.badRequest(
                    req.has("task")
                            ? "give exactly one of 'workflow' and 'task', not both"
                            : "'workflow' (a workflow's id) or 'task' (a pipeline task's id) is required: " + SHAPE);
        for (String f : new String[] {"id", req.has("task") ? "task" : "workflow", "cron"})
            if (!req.path(f).isTextual()) throw RequestException.badRequest(f + " must be a string: " + SHAPE);
        if (req.has("timezone") && !req.get("timezone").isTextual())
            throw RequestException.badRequest("timezone must be a string: an IANA time zone id such as Europe/Paris");
        if (req.has("missed") && !req.get("missed").isTextual())
            throw RequestException.badRequest("missed must be skip, run_once or run_all");
        String id = req.get("id").asText();
        boolean created = workflows.putSchedule(
                id,
                req.has("workflow") ? req.get("workflow").asText() : null,
                req.has("task") ? req.get("task").asText() : null,
                req.get("cron").asText(),
                req.has("timezone") ? req.get("timezone").asText() : null,
                req.get("input"),
                req.has("missed") ? req.get("missed").asText() : null);
        TaskRoutes.json(ctx, created ? 201 : 200, workflows.schedule(id));
    }
}
