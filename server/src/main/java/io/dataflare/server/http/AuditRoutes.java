package io.dataflare.server.http;

import io.dataflare.server.audit.AuditEvent;
import io.dataflare.server.audit.AuditLog;
import io.dataflare.server.audit.ServerAudit;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /api/audit}: the audit log's most recent entries (admin only), filtered by {@code since} and
 * {@code until} (ISO-8601 instants), {@code who}, {@code outcome} and {@code request_id} (exact), {@code what}
 * (a prefix) and {@code target} (a substring), at most {@code limit} (default 100, at most 10,000), oldest first.
 */
final class AuditRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final ServerAudit audit;

    AuditRoutes(ServerAudit audit) {
        this.audit = audit;
    }

    void register(RoutesConfig r) {
        r.get("/api/audit", this::list);
    }

    private void list(Context ctx) throws IOException {
        AuditLog log = audit.log();
        if (log == null)
            throw RequestException.notFound("this server keeps no audit log: its state is not a directory and"
                    + " server.audit_log is not set");
        Instant since = instant(ctx, "since");
        Instant until = instant(ctx, "until");
        int limit = limit(ctx);
        Predicate<AuditEvent> f = e -> true;
        if (since != null) f = f.and(e -> !e.time().isBefore(since));
        if (until != null) f = f.and(e -> e.time().isBefore(until));
        f = exact(f, ctx.queryParam("who"), AuditEvent::who);
        f = exact(f, ctx.queryParam("outcome"), AuditEvent::outcome);
        f = exact(f, ctx.queryParam("request_id"), AuditEvent::requestId);
        String what = ctx.queryParam("what");
        if (what != null) f = f.and(e -> e.what() != null && e.what().startsWith(what));
        String target = ctx.queryParam("target");
        if (target != null) f = f.and(e -> e.target() != null && e.target().contains(target));
        List<Map<String, Object>> out = new ArrayList<>();
        for (AuditEvent e : log.query(f, limit)) out.add(view(e));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", out);
        body.put("file", log.file().toString());
        TaskRoutes.json(ctx, 200, body);
    }

    private static Predicate<AuditEvent> exact(
            Predicate<AuditEvent> f, String value, java.util.function.Function<AuditEvent, String> field) {
        return value == null ? f : f.and(e -> value.equals(field.apply(e)));
    }

    private static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("who", e.who());
        m.put("what", e.what());
        if (e.target() != null) m.put("target", e.target());
        m.put("outcome", e.outcome());
        if (e.status() != null) m.put("status", e.status());
        if (e.requestId() != null) m.put("request_id", e.requestId());
        if (e.detail() != null) m.put("detail", e.detail());
        return m;
    }

    private static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw RequestException.badRequest(
                    "'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, found '" + v + "'");
        }
    }

    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RequestException.badRequest(
                "'limit' must be a whole number from 1 to " + MAX_LIMIT + ", found '" + v + "'");
    }
}
