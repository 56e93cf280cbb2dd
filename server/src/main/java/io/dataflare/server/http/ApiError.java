package io.dataflare.server.http;

import io.dataflare.server.task.TaskException;
import io.dataflare.engine.config.Problem;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error the API answers is JSON: {@code {"code": ..., "message": ...}}, with located {@code problems} for invalid pipelines. */
final class ApiError {
    private static final Logger LOG = LoggerFactory.getLogger(ApiError.class);

    private ApiError() {
    }

    static void task(TaskException e, Context ctx) {
        Map<String, Object> body = body(e.code(), e.getMessage());
        if (!e.problems().isEmpty()) {
            List<Map<String, Object>> problems = new ArrayList<>();
            for (Problem p : e.problems()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("location", p.location().toString());
                m.put("line", p.location().line());
                m.put("column", p.location().column());
                m.put("message", p.message());
                problems.add(m);
            }
            body.put("problems", problems);
        }
        if (e.status() == 429) ctx.header("Retry-After", "1");
        write(ctx, e.status(), body);
    }

    /** Javalin's own errors: unknown route (404), body too large (413)... */
    static void http(HttpResponseException e, Context ctx) {
        String code = switch (e.getStatus()) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> e.getStatus() >= 500 ? "internal" : "bad_request";
        };
        String message = e.getStatus() == 404 ? "no route " + ctx.method() + " " + ctx.path() : e.getMessage();
        if (e.getStatus() == 413) message = "the request body is larger than the server accepts";
        write(ctx, e.getStatus(), body(code, message));
    }

    /** Anything else is a bug: logged, answered 500 without details. */
    static void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, body("internal", "internal error (see the server log)"));
    }

    static void write(Context ctx, int status, Map<String, Object> body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }
}
