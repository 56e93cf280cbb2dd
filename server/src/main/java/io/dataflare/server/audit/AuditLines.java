package io.dataflare.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An audit event as one JSON line, fields in a fixed order, absent ones left out:
 * {@code {"time":..., "who":..., "what":..., "target":..., "outcome":..., "status":..., "request_id":...,
 * "detail":..., "prev":"<SHA-256 of the line before>"}}.
 */
final class AuditLines {
    static final ObjectMapper JSON = new ObjectMapper();

    private AuditLines() {}

    static String line(AuditEvent e, String prev) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", e.time().toString());
        o.put("who", e.who());
        o.put("what", e.what());
        if (e.target() != null) o.put("target", e.target());
        o.put("outcome", e.outcome());
        if (e.status() != null) o.put("status", e.status());
        if (e.requestId() != null) o.put("request_id", e.requestId());
        if (e.detail() != null) o.put("detail", e.detail());
        o.put("prev", prev);
        try {
            return JSON.writeValueAsString(o); // no line breaks: JSON escapes them inside strings
        } catch (JsonProcessingException e1) {
            throw new IllegalStateException(e1);
        }
    }

    /** The event of a line, or null when it is not one. */
    static AuditEvent event(JsonNode o) {
        if (o == null || !o.isObject() || !o.path("time").isTextual()) return null;
        try {
            return new AuditEvent(
                    Instant.parse(o.get("time").asText()),
                    text(o, "who"),
                    text(o, "what"),
                    text(o, "target"),
                    text(o, "outcome"),
                    o.path("status").isInt() ? o.get("status").asInt() : null,
                    text(o, "request_id"),
                    text(o, "detail"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
