package io.dataflare.server.http;

import io.dataflare.server.access.Permission;
import java.util.Map;

/**
 * The one table of what every route needs: the permission and how it is scoped to a task. A route missing here
 * cannot be registered ({@link ApiServer} refuses to start), so a new route must say what it needs.
 */
final class RoutePermissions {
    /** How a route's permission applies to tasks. */
    enum Scope {
        /** No token needed. */
        OPEN,
        /** Not about one task. */
        SERVER,
        /** About the task named by the path's {@code {id}}. */
        TASK,
        /** About the task the request creates, named by {@code ?id=} or in the body (checked once it is read). */
        NEW_TASK
    }

    /** What a route needs. */
    record Rule(Permission permission, Scope scope) {}

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("GET /health", new Rule(null, Scope.OPEN)),
            Map.entry("GET /", new Rule(null, Scope.OPEN)),
            Map.entry("GET /console/{file}", new Rule(null, Scope.OPEN)),
            Map.entry("GET /openapi.json", new Rule(Permission.API_READ, Scope.SERVER)),
            Map.entry("GET /api/whoami", new Rule(Permission.API_READ, Scope.SERVER)),
            Map.entry("GET /metrics", new Rule(Permission.METRICS_READ, Scope.SERVER)),
            Map.entry("GET /api/tasks", new Rule(Permission.TASKS_READ, Scope.SERVER)),
            Map.entry("POST /api/tasks", new Rule(Permission.TASKS_WRITE, Scope.NEW_TASK)),
            // checking a pipeline is part of writing one: it resolves the secrets and files it names
            Map.entry("POST /api/pipelines/validate", new Rule(Permission.TASKS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/tasks/{id}", new Rule(Permission.TASKS_READ, Scope.TASK)),
            Map.entry("PUT /api/tasks/{id}", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("DELETE /api/tasks/{id}", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/start", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/pause", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/resume", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/stop", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/records", new Rule(Permission.TASKS_PUSH, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/attach", new Rule(Permission.TASKS_PUSH, Scope.TASK)),
            Map.entry("GET /api/tasks/{id}/output", new Rule(Permission.TASKS_READ, Scope.TASK)),
            Map.entry("GET /api/tasks/{id}/events", new Rule(Permission.TASKS_READ, Scope.TASK)),
            Map.entry("POST /api/tasks/{id}/dead-letters/replay", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("PUT /api/tasks/{id}/stages/{stage}/parallelism", new Rule(Permission.TASKS_WRITE, Scope.TASK)),
            Map.entry("GET /api/workflows", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("POST /api/workflows", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/workflows/{id}", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("POST /api/workflows/{id}/executions", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/workflows/{id}/executions", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry(
                    "POST /api/workflows/{id}/executions/{execution}/signals/{signal}",
                    new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/executions", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("GET /api/executions/{id}", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("GET /api/executions/{id}/history", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("GET /api/executions/{id}/events", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("POST /api/executions/{id}/stop", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("POST /api/executions/{id}/redrive", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("POST /api/activities/{name}/poll", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("GET /api/activities/{name}/depth", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry(
                    "POST /api/activities/tasks/{token}/heartbeat", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("POST /api/activities/tasks/{token}/success", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("POST /api/activities/tasks/{token}/failure", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("POST /api/tasks/token/{token}/success", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("POST /api/tasks/token/{token}/failure", new Rule(Permission.ACTIVITIES_WORK, Scope.SERVER)),
            Map.entry("GET /api/schedules", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("POST /api/schedules", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("DELETE /api/schedules/{id}", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/approvals", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("POST /api/approvals/{id}/approve", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("POST /api/approvals/{id}/reject", new Rule(Permission.WORKFLOWS_WRITE, Scope.SERVER)),
            Map.entry("GET /api/plugins", new Rule(Permission.PLUGINS_READ, Scope.SERVER)),
            Map.entry("GET /api/plugins/{name}", new Rule(Permission.PLUGINS_READ, Scope.SERVER)),
            Map.entry("GET /api/nodes", new Rule(Permission.NODES_READ, Scope.SERVER)),
            Map.entry("GET /api/nodes/{id}", new Rule(Permission.NODES_READ, Scope.SERVER)),
            Map.entry("POST /api/nodes/{id}/heartbeat", new Rule(Permission.NODES_REPORT, Scope.SERVER)),
            Map.entry("GET /api/nodes/assignments", new Rule(Permission.NODES_READ, Scope.SERVER)),
            Map.entry("PUT /api/nodes/assignments/{id}", new Rule(Permission.NODES_WRITE, Scope.SERVER)),
            Map.entry("DELETE /api/nodes/assignments/{id}", new Rule(Permission.NODES_WRITE, Scope.SERVER)),
            Map.entry("GET /api/nodes/plugins/{name}", new Rule(Permission.NODES_REPORT, Scope.SERVER)),
            Map.entry("GET /api/schema/pipeline", new Rule(Permission.PLUGINS_READ, Scope.SERVER)),
            Map.entry("GET /api/schema/workflow", new Rule(Permission.WORKFLOWS_READ, Scope.SERVER)),
            Map.entry("GET /api/schema/server-config", new Rule(Permission.PLUGINS_READ, Scope.SERVER)),
            Map.entry("GET /api/audit", new Rule(Permission.AUDIT_READ, Scope.SERVER)));

    private RoutePermissions() {}

    /** The rule of {@code route} ({@code METHOD /path/{param}}), or null when it has none. */
    static Rule of(String route) {
        return RULES.get(route);
    }

    /** The route (with its template) {@code method} and {@code path} match, or null. */
    static String template(String method, String path) {
        for (String route : RULES.keySet()) {
            if (route.startsWith(method + " ") && regex(route).matcher(path).matches()) return route;
        }
        return null;
    }

    /**
     * The value of {@code {name}} of {@code route} in {@code path}, URL-decoded, or null. Read from the path
     * itself so that every method (HEAD too) is checked the same way.
     */
    static String pathParam(String route, String path, String name) {
        java.util.regex.Matcher m = regex(route).matcher(path);
        if (!m.matches()) return null;
        try {
            return java.net.URLDecoder.decode(
                    m.group(name).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return m.group(name);
        }
    }

    private static java.util.regex.Pattern regex(String route) {
        String template = route.substring(route.indexOf(' ') + 1);
        return java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(template).replaceAll("\\{(\\w+)}", "\\\\E(?<$1>[^/]+)\\\\Q"));
    }

    /** Every route with a rule. */
    static java.util.Set<String> routes() {
        return RULES.keySet();
    }
}
