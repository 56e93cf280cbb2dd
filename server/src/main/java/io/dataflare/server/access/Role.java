package io.dataflare.server.access;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The roles a token or a JWT may carry, each a fixed set of {@link Permission}s. */
public enum Role {
    /** Everything, on every task. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Runs the tasks it may touch: reads, writes and feeds them; no server settings (audit log). */
    OPERATOR(EnumSet.of(
            Permission.API_READ,
            Permission.TASKS_READ,
            Permission.TASKS_WRITE,
            Permission.TASKS_PUSH,
            Permission.WORKFLOWS_READ,
            Permission.WORKFLOWS_WRITE,
            Permission.ACTIVITIES_WORK,
            Permission.PLUGINS_READ,
            Permission.METRICS_READ,
            Permission.NODES_READ,
            Permission.NODES_REPORT)),
    /** Read-only: tasks, their output and events, workflows and their executions, plugins, metrics. */
    VIEWER(EnumSet.of(
            Permission.API_READ,
            Permission.TASKS_READ,
            Permission.WORKFLOWS_READ,
            Permission.PLUGINS_READ,
            Permission.METRICS_READ,
            Permission.NODES_READ));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean may(Permission p) {
        return permissions.contains(p);
    }

    /** The role's name as configured: {@code admin}, {@code operator}, {@code viewer}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code name} (any case), or null. */
    public static Role named(String name) {
        for (Role r : values()) if (r.label().equalsIgnoreCase(name == null ? "" : name.trim())) return r;
        return null;
    }
}
