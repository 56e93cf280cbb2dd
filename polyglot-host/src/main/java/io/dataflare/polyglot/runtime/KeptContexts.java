package io.dataflare.polyglot.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;

/**
 * Contexts kept, after their instance closed, for the next run of the same stage instance: a pipeline that runs
 * again (a task restarted or run on a schedule, a benchmark's rounds) takes its instance's context back instead
 * of starting a new one. For Python this is the difference between a context that starts in seconds and warms
 * its batch loop up again, with code the JIT compiled for another context's objects, and one whose loop is
 * already compiled for it. One context per key at most, {@link #MAX_KEPT} in all (the oldest goes first), none
 * kept idle longer than {@link #MAX_IDLE_NANOS}; what takes a context back makes its module fresh again.
 */
public final class KeptContexts implements AutoCloseable {
    /**
     * What a context is kept for: the same script text, in the same instance of the same stage of the same
     * pipeline (so nothing one pipeline's script left behind reaches another's), under the same statement limit
     * (fixed when a context is built).
     */
    public record Key(Source source, String pipeline, String stage, int instance, long statementLimit) {}

    /** A kept context and whatever its user needs to take it up again. */
    public interface Kept {
        Context context();
    }

    static final int MAX_KEPT = 4;
    static final long MAX_IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private record Idle(Kept kept, long since) {}

    private final Map<Key, Idle> idle = new LinkedHashMap<>(); // oldest first
    private boolean closed;

    /** The context kept for {@code key}, now the caller's, or null. */
    public Kept take(Key key) {
        List<Kept> expired = new ArrayList<>();
        Idle found;
        synchronized (this) {
            found = idle.remove(key);
            expire(expired);
        }
        closeAll(expired);
        return found == null ? null : found.kept();
    }

    /** Keeps {@code kept} for {@code key}'s next instance (closes it when the runtime is closed). */
    public void keep(Key key, Kept kept) {
        List<Kept> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                dropped.add(kept);
            } else {
                Idle before = idle.remove(key); // then put: the map stays in the order kept
                if (before != null) dropped.add(before.kept());
                idle.put(key, new Idle(kept, System.nanoTime()));
                expire(dropped);
                for (Iterator<Idle> it = idle.values().iterator(); idle.size() > MAX_KEPT; ) {
                    dropped.add(it.next().kept());
                    it.remove();
                }
            }
        }
        closeAll(dropped);
    }

    /** Closes the contexts kept for {@code source} (its plugin was unloaded or replaced). */
    public void forget(Source source) {
        List<Kept> dropped = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Idle>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Idle> e = it.next();
                if (e.getKey().source().equals(source)) {
                    dropped.add(e.getValue().kept());
                    it.remove();
                }
            }
        }
        closeAll(dropped);
    }

    /** How many contexts are kept (tests). */
    public synchronized int size() {
        return idle.size();
    }

    private void expire(List<Kept> into) {
        long now = System.nanoTime();
        for (Iterator<Idle> it = idle.values().iterator(); it.hasNext(); ) {
            Idle i = it.next();
            if (now - i.since() <= MAX_IDLE_NANOS) break; // in the order kept: the rest are younger
            into.add(i.kept());
            it.remove();
        }
    }

    private static void closeAll(List<Kept> kept) {
        for (Kept k : kept) {
            try {
                k.context().close(true);
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        List<Kept> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>();
            for (Idle i : idle.values()) all.add(i.kept());
            idle.clear();
        }
        closeAll(all);
    }
}
