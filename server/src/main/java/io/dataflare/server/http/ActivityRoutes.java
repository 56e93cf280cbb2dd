package io.dataflare.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.server.workflow.ServerWorkflows;
import io.dataflare.server.workflow.WorkflowConflictException;
import io.dataflare.server.workflow.WorkflowNotFoundException;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.queue.ActivityTaskInvoker;
import io.dataflare.workflow.queue.TaskQueue;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/activities...}: external workers take activity tasks ({@code "Resource": "activity:NAME"}) by long
 * poll and answer them by task token, as in Step Functions' activity API. An unknown token is 404, a token whose
 * lease is over (ran out without heartbeat, or the task ended) 409; neither changes anything. {@code
 * /api/tasks/token/{token}/...} answers a {@code .waitForTaskToken} task the same way.
 */
final class ActivityRoutes {
    /** How long a poll waits for a task by default, and at most. */
    static final int DEFAULT_WAIT_SECONDS = 20;

    static final int MAX_WAIT_SECONDS = 60;

    private final TaskQueue queue;
    private final ServerWorkflows workflows;

    ActivityRoutes(TaskQueue queue, ServerWorkflows workflows) {
        this.queue = queue;
        this.workflows = workflows;
    }

    void register(RoutesConfig r) {
        r.post("/api/activities/{name}/poll", this::poll);
        r.get("/api/activities/{name}/depth", this::depth);
        r.post("/api/activities/tasks/{token}/heartbeat", ctx -> answer(ctx, queue.heartbeat(ctx.pathParam("token"))));
        r.post("/api/activities/tasks/{token}/success", this::success);
        r.post("/api/activities/tasks/{token}/failure", this::failure);
        // .waitForTaskToken callbacks: the same answers, by the token the execution handed out
        r.post("/api/tasks/token/{token}/success", this::success);
        r.post("/api/tasks/token/{token}/failure", this::failure);
    }

    /** {@code {"activity": ..., "queued": n, "ready": n, "leased": n}}: the activity's tasks as the queue has them. */
    private void depth(Context ctx) {
        String name = activityName(ctx);
        TaskQueue.Depth d = queue.depth(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activity", name);
        body.put("queued", d.queued());
        body.put("ready", d.ready());
        body.put("leased", d.leased());
        TaskRoutes.json(ctx, 200, body);
    }

    private static String activityName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!ActivityTaskInvoker.NAME.matcher(name).matches())
            throw RequestException.badRequest(
                    "activity name '" + name + "' must be 1 to 80 letters, digits, '.', '_' or '-' (not first)");
        return name;
    }

    /** {@code {"worker": ..., "wait_seconds": ...}} (both optional): 200 with a task, or 204 after the wait. */
    private void poll(Context ctx) throws InterruptedException {
        String name = activityName(ctx);
        JsonNode req = object(ctx, "{\"worker\": \"...\", \"wait_seconds\": 20}");
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("worker") && !f.equals("wait_seconds"))
                throw RequestException.badRequest("unknown field '" + f + "': give worker and wait_seconds");
        }
        JsonNode w = req.get("worker");
        if (w != null && !w.isTextual()) throw RequestException.badRequest("worker must be a string");
        int wait = DEFAULT_WAIT_SECONDS;
        JsonNode ws = req.get("wait_seconds");
        if (ws != null) {
            if (!ws.isIntegralNumber() || ws.intValue() < 0 || ws.intValue() > MAX_WAIT_SECONDS)
                throw RequestException.badRequest(
                        "wait_seconds must be an integer from 0 to " + MAX_WAIT_SECONDS + ", got " + ws);
            wait = ws.intValue();
        }
        String worker = w != null ? w.asText() : "worker at " + ctx.ip();
        Optional<TaskQueue.Lease> lease = queue.poll(name, worker, Duration.ofSeconds(wait));
        if (lease.isEmpty()) {
            ctx.status(204);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task_token", lease.get().token());
        body.put("input", lease.get().task().input());
        TaskRoutes.json(ctx, 200, body);
    }

    /** The body is the task's output (any JSON; empty: {@code {}}). */
    private void success(Context ctx) {
        JsonNode output;
        String text = ctx.body();
        try {
            output = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw RequestException.badRequest("the body must be the task's output as JSON");
        }
        answer(ctx, queue.succeed(ctx.pathParam("token"), output));
    }

    /** {@code {"error": "...", "cause": "..."}} (both optional; the error defaults to States.TaskFailed). */
    private void failure(Context ctx) {
        JsonNode req = object(ctx, "{\"error\": \"...\", \"cause\": \"...\"}");
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("error") && !f.equals("cause"))
                throw RequestException.badRequest("unknown field '" + f + "': give error and cause");
        }
        for (String f : new String[] {"error", "cause"})
            if (req.has(f) && !req.get(f).isTextual()) throw RequestException.badRequest(f + " must be a string");
        String error = req.path("error").asText("");
        answer(
                ctx,
                queue.fail(
                        ctx.pathParam("token"),
                        error.isEmpty() ? "States.TaskFailed" : error,
                        req.path("cause").asText("")));
    }

    private void answer(Context ctx, TaskQueue.Answer a) {
        switch (a.kind()) {
            case DONE -> ctx.status(204);
            case UNKNOWN -> throw new WorkflowNotFoundException(a.message());
            case STALE -> {
                Optional<String> stopped = stoppedExecution(ctx.pathParam("token"));
                if (stopped.isEmpty()) throw new WorkflowConflictException(a.message());
                // the worker's cue to give up: its execution was stopped, so the task will never be wanted again
                Map<String, Object> body = ApiErrors.body(
                        "conflict",
                        "execution '" + stopped.get() + "' was stopped (ABORTED): its task is cancelled; "
                                + a.message());
                body.put("cancel_requested", true);
                body.put("execution", stopped.get());
                ctx.attribute(ApiErrors.ERROR_MESSAGE, String.valueOf(body.get("message")));
                TaskRoutes.json(ctx, 409, body);
            }
        }
    }

    /**
     * The execution of the token's task when it was stopped (ABORTED). A task id is its idempotency key, {@code
     * EXECUTION:SCOPE/STEP/STATE#ATTEMPT}, and a token is {@code base64url(id).secret}.
     */
    private Optional<String> stoppedExecution(String token) {
        int dot = token.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        String id;
        try {
            id = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = id.indexOf(':');
        if (colon <= 0) return Optional.empty();
        String execution = id.substring(0, colon);
        return workflows
                .knownStatus(execution)
                .filter(s -> s == ExecutionStatus.ABORTED)
                .map(s -> execution);
    }

    private static JsonNode object(Context ctx, String shape) {
        String text = ctx.body();
        if (text.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && n.isObject()) return n;
        } catch (IOException e) {
            // answered below
        }
        throw RequestException.badRequest("the body must be empty or a JSON object " + shape);
    }
}
