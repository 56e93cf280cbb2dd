package io.dataflare.server.audit;

import java.time.Instant;

/**
 * One thing the audit log records.
 *
 * @param time      when
 * @param who       who did it: the caller's name ({@code admin} for the admin token), {@code anonymous} for a
 *                  request without valid credentials, {@code system} for what the server did by itself
 * @param what      what: {@code METHOD /route} for an API call, {@code auth.failed}, {@code plugin.loaded} (and
 *                  the other plugin events), {@code task.state}, {@code audit.rotated}...
 * @param target    what it was done to: the request path, {@code task/ID}, the plugin file...
 * @param outcome   {@code ok}, {@code denied} (401/403), {@code failed} (another error), {@code refused} (a plugin)
 * @param status    the HTTP status of an API call, else null
 * @param requestId the request's id ({@code X-Request-Id}), also on what the request caused; else null
 * @param detail    more: the error, the states changed from and to, the plugin event's detail; or null
 */
public record AuditEvent(
        Instant time,
        String who,
        String what,
        String target,
        String outcome,
        Integer status,
        String requestId,
        String detail) {
    /** Who does what the server does on its own (plugin events, task runs ending). */
    public static final String SYSTEM = "system";
    /** Who sent a request without valid credentials. */
    public static final String ANONYMOUS = "anonymous";
}
