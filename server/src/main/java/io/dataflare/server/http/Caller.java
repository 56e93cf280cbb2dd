package io.dataflare.server.http;

import io.dataflare.server.access.RateLimit;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.javalin.http.Context;

/**
 * Who sent a request, as authentication established it: its name (what the audit log records as "who"), its
 * role, the tasks it may touch, and its rate limit (null: none).
 */
public record Caller(String name, Role role, TaskPatterns tasks, RateLimit rateLimit) {
    /** The admin token's caller ({@code DATAFLARE_TOKEN}, {@code server.token}). */
    public static final Caller ADMIN = new Caller("admin", Role.ADMIN, TaskPatterns.ALL, null);

    private static final String ATTRIBUTE = "dataflare.caller";

    /** The caller authentication put on {@code ctx}, or null (an open route, or authentication failed). */
    public static Caller of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** Whether it may touch task {@code id} (an admin may touch every task). */
    public boolean mayTouch(String id) {
        return admin() || tasks.matches(id);
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }
}
