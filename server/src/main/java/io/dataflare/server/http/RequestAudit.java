package io.dataflare.server.http;

import io.dataflare.server.audit.AuditEvent;
import io.dataflare.server.audit.ServerAudit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The HTTP layer's part of the audit log: every request gets an id (the client's {@code X-Request-Id} when it is
 * a sensible one, else a new UUID; echoed in the answer), and once answered, every mutating call (POST, PUT,
 * PATCH, DELETE) and every authentication failure is recorded with the caller, the route, the path, the status
 * and, for an error, its message. Tokens are never recorded.
 */
final class RequestAudit {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "dataflare.request-id";
    private static final Pattern SENSIBLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<HandlerType> MUTATING =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    private final ServerAudit audit;

    RequestAudit(ServerAudit audit) {
        this.audit = audit;
    }

    /** Before anything else: the request's id. */
    void begin(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SENSIBLE_ID.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** Once authenticated: what the request causes on this thread is recorded as the caller's. */
    void authenticated(Context ctx, Caller caller) {
        ServerAudit.during(new ServerAudit.Origin(caller.name(), ctx.attribute(ATTRIBUTE)));
    }

    /** After the answer is decided: records it when it is a mutating call or an authentication failure. */
    void end(Context ctx) {
        try {
            int status = ctx.statusCode();
            boolean authFailed = status == 401;
            if (!authFailed && !MUTATING.contains(ctx.method())) return;
            Caller caller = Caller.of(ctx);
            String detail = status >= 400 ? ctx.attribute(ApiErrors.ERROR_MESSAGE) : null;
            audit.record(new AuditEvent(
                    Instant.now(),
                    caller == null ? AuditEvent.ANONYMOUS : caller.name(),
                    authFailed ? "auth.failed" : ctx.method().name() + " " + route(ctx),
                    authFailed ? ctx.method().name() + " " + ctx.path() : ctx.path(),
                    status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed",
                    status,
                    ctx.attribute(ATTRIBUTE),
                    detail));
        } finally {
            ServerAudit.done();
        }
    }

    /** The route template that answered (in an after handler, {@code ctx.endpoint()} is the after handler's). */
    private static String route(Context ctx) {
        try {
            var matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? ctx.path() : matched.path;
        } catch (RuntimeException e) {
            return ctx.path();
        }
    }
}
