package io.dataflare.server.http;

import io.javalin.http.Context;

/**
 * Authorization, the one before-handler of every matched route: the route's {@link RoutePermissions} rule
 * against the caller's role and task patterns; 403 naming the missing permission. Authentication (401) and the
 * rate limit (429) come first.
 */
final class Access {
    private Access() {}

    /** Checks the matched route of {@code ctx}; a route without a rule is refused (it should not exist). */
    static void authorize(Context ctx) {
        String route = ctx.method().name() + " " + ctx.endpoints().matchedHttpEndpoint().path;
        RoutePermissions.Rule rule = RoutePermissions.of(route);
        if (rule == null) throw RequestException.forbidden("route " + route + " declares no permission");
        if (rule.scope() == RoutePermissions.Scope.OPEN) return;
        Caller caller = Caller.of(ctx);
        if (caller == null) throw RequestException.unauthorized("this route needs a token");
        String task = switch (rule.scope()) {
            case TASK -> ctx.pathParam("id");
            case NEW_TASK -> ctx.queryParam("id");
            default -> null;
        };
        if (!caller.role().may(rule.permission())) throw denied(caller, rule, task);
        if (task != null && !caller.mayTouch(task)) throw denied(caller, rule, task);
    }

    /** For a route creating a task whose id is known only once the body is read: 403 unless it may touch it. */
    static void requireTask(Context ctx, String task) {
        Caller caller = Caller.of(ctx);
        if (caller != null && !caller.mayTouch(task)) {
            String route = ctx.method().name() + " " + ctx.endpoints().matchedHttpEndpoint().path;
            throw denied(caller, RoutePermissions.of(route), task);
        }
    }

    private static RequestException denied(Caller caller, RoutePermissions.Rule rule, String task) {
        String who = caller.role() == io.dataflare.server.access.Role.ADMIN
                ? "'" + caller.name() + "'"
                : "role " + caller.role().label() + " ('" + caller.name() + "')";
        String on = task == null ? "" : " on task '" + task + "'";
        return RequestException.forbidden(who + " may not " + rule.permission().label() + on);
    }
}
