package io.dataflare.server.audit;

import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.server.task.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * What the server records in its audit log, from wherever it happens: API calls (recorded by the HTTP layer),
 * plugin events and task state changes. What a request causes on its own thread (a task started by
 * {@code POST .../start} changing state) is recorded with the request's caller and id ({@link #during}); what
 * happens elsewhere (a run ending, a plugin file replaced) is recorded as {@link AuditEvent#SYSTEM}.
 * Without a log ({@link #off()}), nothing is recorded.
 */
public final class ServerAudit implements AutoCloseable {
    /** The caller and request id of what the current thread does for a request. */
    public record Origin(String who, String requestId) {}

    private static final ThreadLocal<Origin> ORIGIN = new ThreadLocal<>();

    private final AuditLog log;

    private ServerAudit(AuditLog log) {
        this.log = log;
    }

    /** No audit log. */
    public static ServerAudit off() {
        return new ServerAudit(null);
    }

    /** An audit log in {@code file}, rotated beyond {@code maxBytes}. */
    public static ServerAudit open(Path file, long maxBytes) throws IOException {
        return new ServerAudit(AuditLog.open(file, maxBytes));
    }

    /** The log, or null when off. */
    public AuditLog log() {
        return log;
    }

    /** Marks the current thread as working for a request until {@link #done()}. */
    public static void during(Origin origin) {
        ORIGIN.set(origin);
    }

    /** The current thread no longer works for a request. */
    public static void done() {
        ORIGIN.remove();
    }

    /** Records an event by the current thread's caller (or the system). */
    public void record(String what, String target, String outcome, Integer status, String detail) {
        if (log == null) return;
        Origin o = ORIGIN.get();
        log.append(new AuditEvent(
                Instant.now(),
                o == null ? AuditEvent.SYSTEM : o.who(),
                what,
                target,
                outcome,
                status,
                o == null ? null : o.requestId(),
                detail));
    }

    /** Records an event as given. */
    public void record(AuditEvent e) {
        if (log != null) log.append(e);
    }

    /** A plugin loaded, replaced, removed, refused or failed, or a running stage switched (or did not). */
    public void plugin(PluginEvent e) {
        if (log == null) return;
        String what = "plugin." + e.kind().name().toLowerCase(Locale.ROOT);
        String outcome = switch (e.kind()) {
            case LOADED, REPLACED, REMOVED, SWITCHED -> "ok";
            case FAILED -> e.detail() != null && e.detail().contains(PluginTrust.REFUSED) ? "refused" : "failed";
            default -> "failed";
        };
        String target = e.file() != null ? e.file().toString() : e.pipeline() + "/" + e.stage();
        String detail =
                e.plugin() == null ? e.detail() : e.detail() == null ? e.plugin() : e.plugin() + ": " + e.detail();
        record(what, target, outcome, null, detail);
    }

    /** A task changed state. */
    public void taskState(String task, TaskState from, TaskState to, String error) {
        record(
                "task.state",
                "task/" + task,
                to == TaskState.ERROR ? "failed" : "ok",
                null,
                from + " -> " + to + (error == null ? "" : ": " + error));
    }

    @Override
    public void close() {
        if (log != null) log.close();
    }
}
