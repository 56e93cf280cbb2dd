package io.dataflare.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataflare.server.workflow.ServerWorkflows;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.HistoryJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/workflows...} and {@code /api/executions...}: workflow definitions, their executions, histories,
 * and each execution's events as Server-Sent Events.
 */
final class WorkflowRoutes {
    private static final long HEARTBEAT_MS = 15_000;

    private final ServerWorkflows workflows;

    WorkflowRoutes(ServerWorkflows workflows) {
        this.workflows = workflows;
    }

    void register(RoutesConfig r) {
        r.get("/api/workflows", ctx -> TaskRoutes.json(ctx, 200, Map.of("workflows", workflows.workflows())));
        r.post("/api/workflows", this::register);
        r.get("/api/workflows/{id}", ctx -> TaskRoutes.json(ctx, 200, workflows.workflow(ctx.pathParam("id"))));
        r.post("/api/workflows/{id}/executions", this::start);
        r.get("/api/workflows/{id}/executions", this::listOfWorkflow);
        r.post("/api/workflows/{id}/executions/{execution}/signals/{signal}", this::signal);
        r.get("/api/executions", this::list);
        r.get("/api/executions/{id}", ctx -> TaskRoutes.json(ctx, 200, workflows.execution(ctx.pathParam("id"))));
        r.get("/api/executions/{id}/history", this::history);
        r.get("/api/executions/{id}/events", this::events);
        r.post("/api/executions/{id}/stop", this::stop);
        r.post(
                "/api/executions/{id}/redrive",
                ctx -> TaskRoutes.json(ctx, 200, workflows.redrive(ctx.pathParam("id"))));
    }

    private void register(Context ctx) {
        ServerWorkflows.Registered r = workflows.register(ctx.body());
        TaskRoutes.json(ctx, r.created() ? 201 : 200, workflows.workflow(r.id()));
    }

    /** {@code {"name": ..., "input": {...}}} (both optional): 201 when started, 200 when the name existed. */
    private void start(Context ctx) {
        String id = ctx.pathParam("id");
        workflows.workflow(id); // 404 before reading the body
        JsonNode req = Json.MAPPER.createObjectNode();
        String text = ctx.body();
        if (!text.isBlank()) {
            try {
                req = Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw RequestException.badRequest("the body must be a JSON object {\"name\": ..., \"input\": {...}}");
            }
        }
        if (req == null || !req.isObject())
            throw RequestException.badRequest("the body must be a JSON object {\"name\": ..., \"input\": {...}}");
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("name") && !f.equals("input"))
                throw RequestException.badRequest("unknown field '" + f + "': give name and input");
        }
        JsonNode name = req.get("name");
        if (name != null && !name.isTextual() && !name.isNull())
            throw RequestException.badRequest("name must be a string");
        ServerWorkflows.Started s =
                workflows.start(id, name == null || name.isNull() ? null : name.asText(), req.get("input"));
        var body = workflows.execution(s.execution());
        body.put("created", s.created());
        TaskRoutes.json(ctx, s.created() ? 201 : 200, body);
    }

    private void list(Context ctx) {
        String workflow = ctx.queryParam("workflow");
        if (workflow != null && workflow.isBlank()) workflow = null;
        list(ctx, workflow);
    }

    /** {@code GET /api/workflows/{id}/executions}: the listing of one workflow (404 when it is not registered). */
    private void listOfWorkflow(Context ctx) {
        String id = ctx.pathParam("id");
        workflows.workflow(id);
        list(ctx, id);
    }

    /** {@code ?status=&started_after=&started_before=}: times as RFC 3339 ({@code 2026-12-06T00:00:00Z}). */
    private void list(Context ctx, String workflow) {
        String status = ctx.queryParam("status");
        ExecutionStatus st = null;
        if (status != null && !status.isBlank()) {
            try {
                st = ExecutionStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw RequestException.badRequest("status must be one of "
                        + java.util.Arrays.toString(ExecutionStatus.values()) + ", got '" + status + "'");
            }
        }
        Instant after = time(ctx, "started_after");
        Instant before = time(ctx, "started_before");
        TaskRoutes.json(ctx, 200, Map.of("executions", workflows.executions(workflow, st, after, before)));
    }

    private static Instant time(Context ctx, String param) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) return null;
        try {
            return OffsetDateTime.parse(v.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw RequestException.badRequest(
                    param + " must be an RFC 3339 time such as 2026-12-06T00:00:00Z, got '" + v + "'");
        }
    }

    /** The body (any JSON; empty: {@code {}}) is kept as the signal's: 202 {@code {"execution", "signal", "sequence"}}. */
    private void signal(Context ctx) {
        String execution = ctx.pathParam("execution");
        String signal = ctx.pathParam("signal");
        JsonNode body;
        String text = ctx.body();
        try {
            body = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw RequestException.badRequest("the body must be the signal's JSON");
        }
        long seq = workflows.signal(ctx.pathParam("id"), execution, signal, body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("execution", execution);
        out.put("signal", signal);
        out.put("sequence", seq);
        TaskRoutes.json(ctx, 202, out);
    }

    private void history(Context ctx) throws IOException {
        ArrayNode events = Json.MAPPER.createArrayNode();
        for (HistoryEvent e : workflows.history(ctx.pathParam("id")))
            events.add(Json.MAPPER.readTree(HistoryJson.write(e)));
        TaskRoutes.json(ctx, 200, Map.of("execution", ctx.pathParam("id"), "events", events));
    }

    private void stop(Context ctx) throws InterruptedException {
        String cause = null;
        String text = ctx.body();
        if (!text.isBlank()) {
            try {
                JsonNode req = Json.MAPPER.readTree(text);
                if (req != null && req.path("cause").isTextual())
                    cause = req.path("cause").asText();
            } catch (IOException e) {
                throw RequestException.badRequest("the body must be empty or {\"cause\": \"...\"}");
            }
        }
        TaskRoutes.json(ctx, 200, workflows.stop(ctx.pathParam("id"), cause));
    }

    /**
     * The execution's events as SSE: every recorded event ({@code event}, its sequence as the SSE id), then each
     * new one as it is appended, then {@code end} with the execution's outcome once it has finished.
     */
    private void events(Context ctx) throws InterruptedException {
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null)
            throw RequestException.badRequest("the event stream takes no request body");
        String name = ctx.pathParam("id");
        LinkedBlockingQueue<HistoryEvent> live = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = workflows.subscribe(name, (HistoryEvent e, ExecutionState s) -> live.add(e))) {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setCharacterEncoding("UTF-8");
            res.setContentType("text/event-stream");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no");
            ServletOutputStream out = res.getOutputStream();
            long sent = 0;
            for (HistoryEvent e : workflows.history(name)) sent = send(out, e, sent);
            long idle = 0;
            while (!workflows.status(name).finished() || !live.isEmpty()) {
                HistoryEvent e = live.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    sent = send(out, e, sent);
                    idle = 0;
                } else if ((idle += 200) >= HEARTBEAT_MS) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    idle = 0;
                }
            }
            // events appended between the last poll and the end were stored: read them back
            for (HistoryEvent e : workflows.history(name)) sent = send(out, e, sent);
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("execution", name);
            end.put("status", workflows.status(name).name());
            write(out, "end", null, Json.write(end));
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code e} unless an event at or after its sequence was sent; returns the last sequence sent. */
    private static long send(ServletOutputStream out, HistoryEvent e, long sent) throws IOException {
        if (e.sequence() <= sent) return sent;
        write(out, "event", Long.toString(e.sequence()), HistoryJson.write(e));
        return e.sequence();
    }

    private static void write(ServletOutputStream out, String event, String id, String json) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (id != null) sb.append("id: ").append(id).append('\n');
        sb.append("event: ").append(event).append('\n');
        sb.append("data: ").append(json.replace("\n", "")).append("\n\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
