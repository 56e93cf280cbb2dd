package io.dataflare.server.http;

import io.dataflare.engine.config.Problem;
import io.dataflare.server.task.InvalidTaskException;
import io.dataflare.server.task.ShuttingDownException;
import io.dataflare.server.task.TaskBusyException;
import io.dataflare.server.task.TaskConflictException;
import io.dataflare.server.task.TaskException;
import io.dataflare.server.task.TaskNotFoundException;
import io.dataflare.server.task.TooLargeException;
import io.dataflare.server.workflow.InvalidWorkflowException;
import io.dataflare.server.workflow.WorkflowConflictException;
import io.dataflare.server.workflow.WorkflowException;
import io.dataflare.server.workflow.WorkflowNotFoundException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become HTTP answers: the domain's {@link TaskException}s, the HTTP layer's own
 * {@link RequestException}s, Javalin's errors and anything unexpected. Every answer is JSON,
 * {@code {"code": ..., "message": ...}}, with located {@code problems} for invalid pipelines.
 */
final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    /** A refusal of the domain: its kind decides the status and the code. */
    static void task(TaskException e, Context ctx) {
        switch (e) {
            case TaskNotFoundException nf -> write(ctx, 404, body("not_found", nf.getMessage()));
            case TaskConflictException c -> write(ctx, 409, body("conflict", c.getMessage()));
            case InvalidTaskException invalid -> invalid(invalid, ctx);
            case TaskBusyException busy -> {
                ctx.header(
                        "Retry-After",
                        Long.toString(Math.max(1, busy.retryAfter().toSeconds())));
                write(ctx, 429, body("queue_full", busy.getMessage()));
            }
            case TooLargeException large -> write(ctx, 413, body("too_many_records", large.getMessage()));
            case ShuttingDownException stopping -> write(ctx, 503, body("unavailable", stopping.getMessage()));
        }
    }

    /** A refusal about workflows: its kind decides the status and the code. */
    static void workflow(WorkflowException e, Context ctx) {
        switch (e) {
            case WorkflowNotFoundException nf -> write(ctx, 404, body("not_found", nf.getMessage()));
            case WorkflowConflictException c -> write(ctx, 409, body("conflict", c.getMessage()));
            case InvalidWorkflowException invalid -> invalidWorkflow(invalid, ctx);
        }
    }

    /** 422 with every problem as {@code line:column: message} (a malformed request without problems: 400). */
    private static void invalidWorkflow(InvalidWorkflowException e, Context ctx) {
        if (e.problems().isEmpty()) {
            write(ctx, 400, body("bad_request", e.getMessage()));
            return;
        }
        Map<String, Object> body = body("invalid_workflow", e.getMessage());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (io.dataflare.workflow.definition.Problem p : e.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("problem", p.location().line() + ":" + p.location().column() + ": " + p.message());
            m.put("line", p.location().line());
            m.put("column", p.location().column());
            m.put("message", p.message());
            problems.add(m);
        }
        body.put("problems", problems);
        write(ctx, 422, body);
    }

    private static void invalid(InvalidTaskException e, Context ctx) {
        if (e.problems().isEmpty()) {
            write(ctx, 400, body("bad_request", e.getMessage()));
            return;
        }
        Map<String, Object> body = body("invalid_pipeline", e.getMessage());
        body.put("problems", problems(e.problems()));
        write(ctx, 400, body);
    }

    /** Each problem as {@code {location, line, column, message}}. */
    static List<Map<String, Object>> problems(List<Problem> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("location", p.location().toString());
            m.put("line", p.location().line());
            m.put("column", p.location().column());
            m.put("message", p.message());
            out.add(m);
        }
        return out;
    }

    /** A request the HTTP layer refuses before the domain sees it (no token, wrong media type, malformed body...). */
    static void request(RequestException e, Context ctx) {
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        write(ctx, e.status(), body(e.code(), e.getMessage()));
    }

    /** Javalin's own errors: unknown route (404), body too large (413)... */
    static void http(HttpResponseException e, Context ctx, long maxRequestBytes) {
        String code = switch (e.getStatus()) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> e.getStatus() >= 500 ? "internal" : "bad_request";
        };
        String message = e.getStatus() == 404 ? "no route " + ctx.method() + " " + ctx.path() : e.getMessage();
        if (e.getStatus() == 413)
            message = "the request body is larger than the server accepts (server.max_request_bytes: " + maxRequestBytes
                    + ")";
        write(ctx, e.getStatus(), body(code, message));
    }

    /** Anything else is a bug: logged, answered 500 without details. */
    static void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, body("internal", "internal error (see the server log)"));
    }

    /** The attribute holding the message of the error answered (what the audit log records as the detail). */
    static final String ERROR_MESSAGE = "dataflare.error";

    static void write(Context ctx, int status, Map<String, Object> body) {
        ctx.attribute(ERROR_MESSAGE, String.valueOf(body.get("message")));
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }
}
