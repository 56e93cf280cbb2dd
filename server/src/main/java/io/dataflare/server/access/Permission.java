package io.dataflare.server.access;

/** What a route needs the caller to hold; the names are what a 403 and the docs show. */
public enum Permission {
    /** Read the API's own description and who one is ({@code /openapi.json}, {@code /api/whoami}). */
    API_READ("api:read"),
    /** List tasks, read a task, its output and its events. */
    TASKS_READ("tasks:read"),
    /** Create, replace, delete, start, pause, resume and stop tasks; change a stage's parallelism. */
    TASKS_WRITE("tasks:write"),
    /** Feed records or a file into a task. */
    TASKS_PUSH("tasks:push"),
    /** List and show workflows, their executions, their histories and events. */
    WORKFLOWS_READ("workflows:read"),
    /** Register workflows, start and stop their executions. */
    WORKFLOWS_WRITE("workflows:write"),
    /** Poll activity tasks and answer them (heartbeat, success, failure): what an external worker needs. */
    ACTIVITIES_WORK("activities:work"),
    /** List and show plugins. */
    PLUGINS_READ("plugins:read"),
    /** Read the Prometheus metrics. */
    METRICS_READ("metrics:read"),
    /** List edge nodes with their health and what they run. */
    NODES_READ("nodes:read"),
    /** Report as an edge node (heartbeats) and receive its assigned tasks. */
    NODES_REPORT("nodes:report"),
    /** Assign and unassign tasks to edge nodes at run time (admin only: it runs code on the devices). */
    NODES_WRITE("nodes:write"),
    /** Read the audit log (a server setting: admin only). */
    AUDIT_READ("audit:read");

    private final String label;

    Permission(String label) {
        this.label = label;
    }

    /** The permission's name, e.g. {@code tasks:write}. */
    public String label() {
        return label;
    }
}
