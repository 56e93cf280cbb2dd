package io.dataflare.server.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The plugin registry's events as the server shows them: the last {@value #KEPT} (for {@code GET /api/plugins}),
 * and each one on the event streams of the tasks it concerns. A version switch of a running stage (or a refused
 * one) concerns the task whose stage it is; every other event (a plugin loaded, replaced or removed, a file that
 * did not load) goes to every task, since any task may use that plugin or be about to.
 *
 * <p>Events come on the registry's threads (the watcher's, a worker's that just switched): they are handled
 * without taking any task's monitor, so that a run starting under it can never wait for them.
 */
public final class PluginActivity implements AutoCloseable {
    /** Events kept for {@link #recent()}. */
    public static final int KEPT = 100;
    /** Their type on a task's event stream. */
    public static final String EVENT = "plugin";

    /**
     * One event.
     *
     * @param kind    {@code loaded}, {@code replaced}, {@code removed}, {@code failed}, {@code unresolved},
     *                {@code incompatible}, {@code switched} or {@code switch_rejected}
     * @param plugin  the plugin as {@code id@version} (null when a file did not load)
     * @param file    the plugin file (null for a switch)
     * @param task    the task whose stage switched (null for the other kinds)
     * @param stage   that stage
     * @param detail  why (failures), or what (the version switched from, the pause); masked with the task's secrets
     * @param pauseMs for {@code switched}: how long the switch held the stage, in milliseconds (a processor: its
     *                longest worker pause; a source, sink or policy: the pipeline's pause at the barrier); else null
     * @param message all of it in one line
     */
    public record Notice(
            String kind,
            String plugin,
            String file,
            String task,
            String stage,
            String detail,
            @JsonProperty("pause_ms") Double pauseMs,
            Instant at,
            String message) {}

    private final PluginRegistry registry;
    private final TaskCatalog catalog;
    private final Deque<Notice> recent = new ArrayDeque<>();
    private final Consumer<PluginEvent> listener = this::heard;

    PluginActivity(PluginRegistry registry, TaskCatalog catalog) {
        this.registry = registry;
        this.catalog = catalog;
        registry.addListener(listener);
    }

    /** The last {@value #KEPT} events, oldest first. */
    public synchronized List<Notice> recent() {
        return new ArrayList<>(recent);
    }

    private void heard(PluginEvent e) {
        Task concerned = e.pipeline() == null ? null : catalog.find(e.pipeline());
        Notice n = notice(e, concerned == null ? new Redactor() : concerned.redactor());
        synchronized (this) {
            recent.addLast(n);
            if (recent.size() > KEPT) recent.removeFirst();
        }
        if (e.pipeline() != null) {
            if (concerned != null) concerned.events().publish(EVENT, n);
        } else {
            for (Task t : catalog.list()) t.events().publish(EVENT, n);
        }
    }

    private static Notice notice(PluginEvent e, Redactor redactor) {
        String detail = e.detail() == null ? null : redactor.redact(e.detail());
        return new Notice(
                e.kind().name().toLowerCase(Locale.ROOT),
                e.plugin(),
                e.file() == null ? null : e.file().toString(),
                e.pipeline(),
                e.stage(),
                detail,
                e.pause() == null ? null : e.pause().toNanos() / 1e6,
                e.at(),
                redactor.redact(e.toString()));
    }

    /** Stops listening to the registry. */
    @Override
    public void close() {
        registry.removeListener(listener);
    }
}
