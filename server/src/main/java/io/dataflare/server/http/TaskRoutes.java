package io.dataflare.server.http;

import io.dataflare.api.data.Record;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.RowFormat;
import io.dataflare.server.task.Attachment;
import io.dataflare.server.task.InvalidTaskException;
import io.dataflare.server.task.Task;
import io.dataflare.server.task.TaskDeadLetters;
import io.dataflare.server.task.TaskLifecycle;
import io.dataflare.server.task.TaskManager;
import io.dataflare.server.task.TaskOutputs;
import io.dataflare.server.task.TaskParallelism;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/tasks...}: tasks, their lifecycle, their input and their output, their stages' parallelism. */
final class TaskRoutes {
    private static final int MAX_LIMIT = 10_000;
    /** The task id a pipeline is validated under when the request names none ({@code ?id=}). */
    private static final String VALIDATED_ID = "pipeline";

    private final TaskManager tasks;
    private final TaskBodies bodies;

    TaskRoutes(TaskManager tasks) {
        this.tasks = tasks;
        this.bodies = new TaskBodies(tasks.compiler());
    }

    void register(RoutesConfig r) {
        r.get("/api/tasks", this::list);
        r.post("/api/tasks", this::create);
        r.post("/api/pipelines/validate", this::validate);
        r.get("/api/tasks/{id}", ctx -> json(ctx, 200, TaskViews.detail(tasks.get(ctx.pathParam("id")))));
        r.put("/api/tasks/{id}", this::update);
        r.delete("/api/tasks/{id}", this::delete);
        r.post(
                "/api/tasks/{id}/start",
                ctx -> json(
                        ctx,
                        200,
                        TaskViews.detail(tasks.lifecycle().start(ctx.pathParam("id"), flag(ctx, "from_start")))));
        r.post(
                "/api/tasks/{id}/pause",
                ctx -> json(ctx, 200, TaskViews.detail(tasks.lifecycle().pause(ctx.pathParam("id")))));
        r.post(
                "/api/tasks/{id}/resume",
                ctx -> json(ctx, 200, TaskViews.detail(tasks.lifecycle().resume(ctx.pathParam("id")))));
        r.post("/api/tasks/{id}/stop", this::stop);
        r.post("/api/tasks/{id}/records", this::push);
        r.post("/api/tasks/{id}/attach", this::attach);
        r.get("/api/tasks/{id}/output", this::output);
        r.post("/api/tasks/{id}/dead-letters/replay", this::replayDeadLetters);
        r.put("/api/tasks/{id}/stages/{stage}/parallelism", this::parallelism);
    }

    private static final List<String> PARALLELISM_FIELDS = List.of("parallelism", "min", "max", "auto");

    /**
     * Changes an elastic stage of a running task: {@code {"parallelism": 4}} rescales now, {@code {"min": 1,
     * "max": 8, "auto": true}} changes the bounds and the autoscaler; both may be given.
     */
    private void parallelism(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        tasks.get(id); // 404 before reading the body
        Map<?, ?> req;
        try {
            req = Json.MAPPER.readValue(ctx.body(), Map.class);
        } catch (IOException | RuntimeException e) {
            throw RequestException.badRequest(
                    "the body must be a JSON object such as {\"parallelism\": 4} or {\"min\": 1, \"max\": 8, "
                            + "\"auto\": true}");
        }
        if (req == null || req.isEmpty())
            throw RequestException.badRequest("give at least one of " + String.join(", ", PARALLELISM_FIELDS));
        for (Object k : req.keySet()) {
            if (!PARALLELISM_FIELDS.contains(String.valueOf(k)))
                throw RequestException.badRequest(
                        "unknown field '" + k + "'; allowed: " + String.join(", ", PARALLELISM_FIELDS));
        }
        Object auto = req.get("auto");
        if (auto != null && !(auto instanceof Boolean))
            throw RequestException.badRequest("'auto' must be true or false, found " + auto);
        TaskParallelism.Changed c = tasks.parallelism()
                .change(
                        id,
                        ctx.pathParam("stage"),
                        new ParallelismChange(
                                whole(req, "parallelism"), whole(req, "min"), whole(req, "max"), (Boolean) auto));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", id);
        body.put("stage", c.status().stage());
        body.put("instances", c.status().instances());
        body.put("min", c.status().min());
        body.put("max", c.status().max());
        body.put("auto", c.status().auto());
        body.put("rescaled", c.rescale() != null);
        if (c.rescale() != null) {
            body.put("from", c.rescale().from());
            body.put("moved_key_groups", c.rescale().movedGroups());
            body.put("pause_ms", c.rescale().pauseNanos() / 1_000_000.0);
        }
        json(ctx, 200, body);
    }

    private static Integer whole(Map<?, ?> req, String field) {
        Object v = req.get(field);
        if (v == null) return null;
        if (v instanceof Integer i) return i;
        throw RequestException.badRequest("'" + field + "' must be a whole number, found " + v);
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        Caller caller = Caller.of(ctx);
        // a caller limited to some tasks sees only those
        for (Task t : tasks.list()) if (caller == null || caller.mayTouch(t.id())) out.add(TaskViews.summary(t));
        json(ctx, 200, Map.of("tasks", out));
    }

    private void create(Context ctx) {
        TaskBodies.Parsed p = bodies.parse(ctx, null);
        Access.requireTask(ctx, p.spec().id());
        Task t = tasks.lifecycle().create(p.spec(), p.compiled());
        if (flag(ctx, "start")) tasks.lifecycle().start(t.id(), false);
        json(ctx, 201, TaskViews.detail(t));
    }

    /**
     * Checks a pipeline exactly as {@code POST /api/tasks} would, creating nothing (the console's editor calls it as
     * the user types): 200 with {@code valid} and every located problem. A request that is not a pipeline at all
     * (empty body, unknown format) is still refused with 400.
     */
    private void validate(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            TaskBodies.Parsed p = bodies.parse(ctx, null, VALIDATED_ID);
            body.put("valid", true);
            body.put("message", "the pipeline is valid");
            body.put("pipeline", p.compiled().pipelineName());
            body.put("problems", List.of());
        } catch (InvalidTaskException e) {
            if (e.problems().isEmpty()) throw e;
            body.put("valid", false);
            body.put("message", e.getMessage());
            body.put("problems", ApiErrors.problems(e.problems()));
        }
        json(ctx, 200, body);
    }

    /** Idempotent: a task that is not running is answered as it is, with {@code "was_running": false}. */
    private void stop(Context ctx) throws InterruptedException {
        TaskLifecycle.Stopped stopped = tasks.lifecycle().stop(ctx.pathParam("id"));
        Map<String, Object> body = TaskViews.detail(stopped.task());
        body.put("was_running", stopped.wasRunning());
        json(ctx, 200, body);
    }

    private void update(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        TaskBodies.Parsed p = bodies.parse(ctx, id);
        boolean exists = tasks.catalog().exists(id);
        Task t = exists
                ? tasks.lifecycle().update(id, p.spec(), p.compiled())
                : tasks.lifecycle().create(p.spec(), p.compiled());
        json(ctx, exists ? 200 : 201, TaskViews.detail(t));
    }

    private void delete(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        tasks.lifecycle().delete(id);
        json(ctx, 200, Map.of("id", id, "deleted", true));
    }

    private void push(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        tasks.get(id); // 404 before reading the body
        RowFormat format = RowFormat.ofContentType(ctx.contentType());
        if (format == null) {
            throw RequestException.unsupportedMediaType("send records as application/json (an array of objects), "
                    + "application/x-ndjson or text/csv (with a header line), not " + ctx.contentType());
        }
        List<Map<String, Object>> rows;
        try {
            rows = format.readAll(new ByteArrayInputStream(ctx.bodyAsBytes()), "body");
        } catch (RowFormat.BadRowException e) {
            throw RequestException.badRequest(e.getMessage());
        }
        int accepted = tasks.inputs().push(id, ctx.queryParam("source"), rows);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        json(ctx, 202, body);
    }

    private void attach(Context ctx) {
        String id = ctx.pathParam("id");
        tasks.get(id);
        Map<?, ?> req;
        try {
            req = Json.MAPPER.readValue(ctx.body(), Map.class);
        } catch (IOException e) {
            throw RequestException.badRequest("the body must be a JSON object: {\"path\": \"...\"} ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        // a JSON null reads as no map at all
        if (req == null || !(req.get("path") instanceof String path) || path.isBlank()) {
            throw RequestException.badRequest(
                    "the body needs \"path\": the file to feed into the task (on the server)");
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw RequestException.badRequest("not a path: " + path);
        }
        RowFormat format;
        try {
            format = req.get("format") instanceof String f ? RowFormat.named(f) : RowFormat.ofFileName(path);
        } catch (IllegalArgumentException e) {
            throw RequestException.badRequest(e.getMessage());
        }
        if (format == null)
            throw RequestException.badRequest(
                    "cannot tell the format of " + path + ": add \"format\": \"csv\", \"jsonl\" or \"json\"");
        String source = req.get("source") instanceof String s ? s : null;
        Attachment a = tasks.inputs().attach(id, file, format, source);
        json(ctx, 202, TaskViews.attachment(a));
    }

    private void output(Context ctx) {
        String id = ctx.pathParam("id");
        String sink = ctx.queryParam("sink");
        tasks.get(id); // 404 first
        int limit = (int) number(ctx, "limit", 100, 1, MAX_LIMIT);
        long offset = number(ctx, "offset", -1, 0, Long.MAX_VALUE);
        TaskOutputs.Page read = tasks.outputs().read(id, sink, offset, limit);
        OutputBuffer.Page page = read.records();
        // written by Json's record serializer, in the record codec's form
        List<Record> records = new ArrayList<>(page.records());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", read.task());
        body.put("sink", read.sink());
        body.put("offset", page.offset());
        body.put("next_offset", page.nextOffset());
        body.put("total", page.total());
        body.put("dropped", page.dropped());
        body.put("records", records);
        body.put("offsets", page.offsets());
        json(ctx, 200, body);
    }

    /**
     * Puts the task's dead letters back into its running pipeline: all it keeps, or those at {@code {"offsets":
     * [...]}} (as {@code GET .../output?sink=dead_letter} numbers them).
     */
    private void replayDeadLetters(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        tasks.get(id); // 404 before reading the body
        List<Long> offsets = null;
        String text = ctx.body();
        if (!text.isBlank()) {
            Map<?, ?> req;
            try {
                req = Json.MAPPER.readValue(text, Map.class);
            } catch (IOException | RuntimeException e) {
                throw RequestException.badRequest(
                        "the body must be empty (every dead letter) or a JSON object such as {\"offsets\": [0, 4]}");
            }
            if (req != null) {
                for (Object k : req.keySet()) {
                    if (!"offsets".equals(k))
                        throw RequestException.badRequest("unknown field '" + k + "'; allowed: offsets");
                }
                Object given = req.get("offsets");
                if (given != null) {
                    if (!(given instanceof List<?> list) || list.isEmpty())
                        throw RequestException.badRequest("'offsets' must be a non-empty array of whole numbers");
                    offsets = new ArrayList<>();
                    for (Object o : list) {
                        if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0)
                            throw RequestException.badRequest(
                                    "'offsets' must hold whole numbers from 0 on, found " + o);
                        offsets.add(((Number) o).longValue());
                    }
                }
            }
        }
        TaskDeadLetters.Replayed r = tasks.deadLetters().replay(id, offsets);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", id);
        body.put("replayed", r.offsets().size());
        body.put("stages", r.replayed());
        body.put("not_replayed", r.notReplayed());
        body.put("offsets", r.offsets());
        body.put("remaining", r.remaining());
        json(ctx, 200, body);
    }

    /** A whole-number query parameter between {@code min} and {@code max}; {@code fallback} when absent. */
    static long number(Context ctx, String name, long fallback, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RequestException.badRequest(
                name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
