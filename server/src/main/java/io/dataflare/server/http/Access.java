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
        String route = route(ctx);
        RoutePermissions.Rule rule = RoutePermissions.of(route);
        if (rule == null) throw RequestException.forbidden("route " + route + " declares no permission");
        if (rule.scope() == RoutePermissions.Scope.OPEN) return;
        Caller caller = Caller.of(ctx);
        if (caller == null) throw RequestException.unauthorized("this route needs a token");
        String task = switch (rule.scope()) {
            case TASK ->
                ctx.endpoints().matchedHttpEndpoint() != null
                        ? ctx.pathParam("id")
                        : RoutePermissions.pathParam(route, ctx.path(), "id");
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
            String route = route(ctx);
            throw denied(caller, RoutePermissions.of(route), task);
        }
    }

    /**
     * The matched route as {@code METHOD /template}. A HEAD request is answered by the GET route, which Javalin
     * does not report as matched: its template is found from the path.
     */
    private static String route(Context ctx) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String method =
                ctx.method().name().equals("HEAD") ? "GET" : ctx.method().name();
        if (matched != null) return method + " " + matched.path;
        String found = RoutePermissions.template(method, ctx.path());
        return found != null ? found : method + " " + ctx.path();
    }

    private static RequestException denied(Caller caller, RoutePermissions.Rule rule, String task) {
        String who = caller.role() == io.dataflare.server.access.Role.ADMIN
                ? "'" + caller.name() + "'"
                : "role " + caller.role().label() + " ('" + caller.name() + "')";
        String on = task == null ? "" : " on task '" + task + "'";
        return RequestException.forbidden(who + " may not " + rule.permission().label() + on);
    }
}
