package io.dataflare.polyglot.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-key state of one processor instance ({@code ctx.state}, capability {@code state}): values are
 * kept as JSON text, so any language reads what another wrote and a move to the engine's state store
 * (checkpointed, shared by a key's successive instances) changes nothing for scripts. For now it is an
 * in-memory map per instance: it survives a replaced context, not a restart, and with {@code parallelism}
 * each instance sees the keys routed to it (use {@code routing.key}).
 *
 * <p>Transactional per call: a call's writes and deletes are buffered (reads see them) and applied by
 * {@link #commit} when the call succeeds, or dropped by {@link #rollback} when it throws, times out or is
 * cancelled. The engine re-runs a failed batch (retries, then record by record), and a re-run must see the
 * state the failed call started from: a dedupe script would otherwise drop every record the aborted call had
 * marked as seen. The buffer is created on a call's first write, so a call that does not write costs nothing.
 */
final class InstanceState {
    /** Keys beyond which {@code set} fails, so a script cannot fill the heap through its state. */
    static final int MAX_KEYS = 1_000_000;
    /** The mark of a key deleted in the current call (values are JSON text, never this instance). */
    private static final String DELETED = new String("<deleted>");

    private final int maxKeys;
    private final Map<String, String> values = new HashMap<>();
    /** The current call's writes ({@link #DELETED} for deletes), or null before its first write. */
    private Map<String, String> pending;
    /** Keys the current call added that {@link #values} does not hold, for the key limit. */
    private int added;

    InstanceState() {
        this(MAX_KEYS);
    }

    InstanceState(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    String get(String key) {
        if (pending != null) {
            String p = pending.get(key);
            if (p != null) return p == DELETED ? null : p;
        }
        return values.get(key);
    }

    void set(String key, String json) {
        if (!has(key)) {
            if (values.size() + added >= maxKeys)
                throw new IllegalStateException("state holds " + maxKeys + " keys already");
            if (!values.containsKey(key)) added++;
        }
        writes().put(key, json);
    }

    void delete(String key) {
        if (!has(key)) return;
        if (!values.containsKey(key)) added--;
        writes().put(key, DELETED);
    }

    /** Applies the current call's writes. */
    void commit() {
        Map<String, String> p = pending;
        if (p == null) return;
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (e.getValue() == DELETED) values.remove(e.getKey());
            else values.put(e.getKey(), e.getValue());
        }
        pending = null;
        added = 0;
    }

    /** Drops the current call's writes: the state is as it was before the call. */
    void rollback() {
        pending = null;
        added = 0;
    }

    /** How many keys the state holds (committed). */
    int size() {
        return values.size();
    }

    /** Whether {@code key} has a value as the current call sees it. */
    private boolean has(String key) {
        if (pending != null) {
            String p = pending.get(key);
            if (p != null) return p != DELETED;
        }
        return values.containsKey(key);
    }

    private Map<String, String> writes() {
        Map<String, String> p = pending;
        if (p == null) pending = p = new HashMap<>();
        return p;
    }
}
