package io.dataflare.polyglot.session;

import io.dataflare.api.PluginContext;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.state.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A script's {@code ctx.timers} (capability {@code state}, like {@code ctx.state}): the engine's timers of the
 * instance, transactional per call as {@link InstanceState} is. A call's registrations, deletions and watermark
 * advance are buffered and applied by {@link #commit} when it succeeds, dropped by {@link #rollback} when it fails:
 * the engine re-runs a failed batch, which must not find the timers the failed call left. The engine's timers are
 * asked for on first use, so a script that never uses timers keeps a stage without them.
 */
final class ScriptTimers {
    private final PluginContext ctx;
    private final String plugin;
    private Timers timers;
    /** The current call's changes, or null before its first one. */
    private List<Consumer<Timers>> pending;

    private long pendingWatermark = Long.MIN_VALUE;

    ScriptTimers(PluginContext ctx, String plugin) {
        this.ctx = ctx;
        this.plugin = plugin;
    }

    private Timers timers() {
        if (timers == null) {
            try {
                timers = ctx.timers();
            } catch (UnsupportedOperationException e) {
                throw new PluginException(
                        ErrorClass.PLUGIN_ERROR, plugin + " uses ctx.timers, which only a pipeline run provides");
            }
        }
        return timers;
    }

    /** Whether the instance has used timers (so fired ones can be due). */
    boolean used() {
        return timers != null;
    }

    void register(String domain, String key, long time) {
        boolean processing = processing(domain);
        change(t -> {
            if (processing) t.registerProcessingTimer(key, time);
            else t.registerEventTimer(key, time);
        });
    }

    void delete(String domain, String key, long time) {
        boolean processing = processing(domain);
        change(t -> {
            if (processing) t.deleteProcessingTimer(key, time);
            else t.deleteEventTimer(key, time);
        });
    }

    private static boolean processing(String domain) {
        return switch (domain) {
            case "processing" -> true;
            case "event" -> false;
            default -> throw new IllegalArgumentException("a timer's domain is 'processing' or 'event': " + domain);
        };
    }

    private void change(Consumer<Timers> c) {
        timers(); // fails now, at the script's call, when there are none
        if (pending == null) pending = new ArrayList<>();
        pending.add(c);
    }

    long now() {
        return timers().currentProcessingTime();
    }

    /** The watermark, with the current call's advance. */
    long watermark() {
        return Math.max(timers().currentWatermark(), pendingWatermark);
    }

    void advance(long watermark) {
        timers();
        pendingWatermark = Math.max(pendingWatermark, watermark);
    }

    void commit() {
        if (pending != null) {
            for (Consumer<Timers> c : pending) c.accept(timers);
        }
        if (pendingWatermark != Long.MIN_VALUE) timers.advanceWatermark(pendingWatermark);
        rollback();
    }

    void rollback() {
        pending = null;
        pendingWatermark = Long.MIN_VALUE;
    }
}
