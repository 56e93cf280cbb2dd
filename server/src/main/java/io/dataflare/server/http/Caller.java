package io.dataflare.server.http;

import io.javalin.http.Context;

/**
 * Who sent a request, as authentication established it: its name (what the audit log records as "who") and
 * whether it may do everything. The one token of today is {@link #ADMIN}; named tokens with narrower roles
 * would be further callers.
 */
public record Caller(String name, boolean admin) {
    /** The admin token's caller. */
    public static final Caller ADMIN = new Caller("admin", true);

    private static final String ATTRIBUTE = "dataflare.caller";

    /** The caller authentication put on {@code ctx}, or null (an open route, or authentication failed). */
    public static Caller of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }
}
