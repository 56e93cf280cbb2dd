package io.dataflare.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.server.access.Role;
import io.dataflare.server.workflow.WorkflowConflictException;
import io.dataflare.server.workflow.WorkflowNotFoundException;
import io.dataflare.workflow.queue.Approvals;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/approvals...}: the pending human approvals of workflow executions, and their decisions. The approver
 * is the caller (its token's or JWT's name); an admin may decide on behalf of a named approver.
 */
final class ApprovalRoutes {
    private final Approvals approvals;

    ApprovalRoutes(Approvals approvals) {
        this.approvals = approvals;
    }

    void register(RoutesConfig r) {
        r.get("/api/approvals", this::list);
        r.post("/api/approvals/{id}/approve", ctx -> decide(ctx, true));
        r.post("/api/approvals/{id}/reject", ctx -> decide(ctx, false));
    }

    private void list(Context ctx) {
        String execution = ctx.queryParam("execution");
        String approver = ctx.queryParam("approver");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Approvals.Approval a : approvals.pending()) {
            if (execution != null && !execution.isBlank() && !a.execution().equals(execution)) continue;
            if (approver != null && !approver.isBlank() && !a.approvers().contains(approver)) continue;
            out.add(view(a));
        }
        TaskRoutes.json(ctx, 200, Map.of("approvals", out));
    }

    /** {@code {"comment": "...", "approver": "..."}} (both optional; approver: admins only). */
    private void decide(Context ctx, boolean approve) {
        JsonNode req = Json.MAPPER.createObjectNode();
        String text = ctx.body();
        if (!text.isBlank()) {
            try {
                req = Json.MAPPER.readTree(text);
            } catch (IOException e) {
                req = null;
            }
            if (req == null || !req.isObject())
                throw RequestException.badRequest(
                        "the body must be empty or {\"comment\": \"...\", \"approver\": \"...\"}");
        }
        for (var it = req.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("comment") && !f.equals("approver"))
                throw RequestException.badRequest("unknown field '" + f + "': give comment and approver");
            if (!req.get(f).isTextual()) throw RequestException.badRequest(f + " must be a string");
        }
        Caller caller = Caller.of(ctx);
        String approver = caller.name();
        if (req.has("approver") && !req.get("approver").asText().equals(approver)) {
            if (caller.role() != Role.ADMIN)
                throw RequestException.forbidden("only an admin may decide on behalf of another approver");
            approver = req.get("approver").asText();
        }
        try {
            Approvals.Approval a = approvals.decide(
                    ctx.pathParam("id"), approver, approve, req.path("comment").asText(""));
            TaskRoutes.json(ctx, 200, view(a));
        } catch (Approvals.ApprovalException e) {
            if (e.notFound()) throw new WorkflowNotFoundException(e.getMessage());
            throw new WorkflowConflictException(e.getMessage());
        }
    }

    private static Map<String, Object> view(Approvals.Approval a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", a.id());
        o.put("execution", a.execution());
        o.put("state", a.state());
        o.put("approvers", a.approvers());
        o.put("rule", a.rule().name().toLowerCase(java.util.Locale.ROOT));
        o.put("due", a.due() == null ? null : a.due().toString());
        o.put("on_timeout", a.onTimeout().name().toLowerCase(java.util.Locale.ROOT));
        o.put("input", a.input());
        List<Map<String, Object>> ds = new ArrayList<>();
        for (Approvals.Decision d : a.decisions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("approver", d.approver());
            m.put("approved", d.approved());
            m.put("comment", d.comment());
            m.put("at", d.at().toString());
            ds.add(m);
        }
        o.put("decisions", ds);
        return o;
    }
}
