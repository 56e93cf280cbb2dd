package io.dataflare.polyglot.session;

import io.dataflare.api.PluginContext;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-key state of one script instance ({@code ctx.state}, capability {@code state}): values are kept as
 * JSON text, so any language reads what another wrote. In a pipeline run it is the engine's keyed state (a
 * value state named {@value #STATE_NAME}, key = the script's key): saved with every checkpoint and restored on
 * resume, in the backend and with the default TTL of {@code runtime.state}. Outside the engine (a context
 * without state) it is an in-memory map of at most {@link #MAX_KEYS} keys.
 *
 * <p>Transactional per call: a call's writes and deletes are buffered (reads see them) and applied by
 * {@link #commit} when the call succeeds, or dropped by {@link #rollback} when it throws, times out or is
 * cancelled. The engine re-runs a failed batch (retries, then record by record), and a re-run must see the
 * state the failed call started from: a dedupe script would otherwise drop every record the aborted call had
 * marked as seen. The buffer is created on a call's first write, so a call that does not write costs nothing.
 * A checkpoint is taken between batches, so it never sees a call's uncommitted writes.
 */
final class InstanceState {
    /** Keys beyond which {@code set} fails in the in-memory state, so a script cannot fill the heap through it. */
    static final int MAX_KEYS = 1_000_000;
    /** The engine state's name. */
    static final String STATE_NAME = "ctx.state";
    /** The mark of a key deleted in the current call (values are JSON text, never this instance). */
    private static final String DELETED = new String("<deleted>");

    private final int maxKeys;
    /** The committed values: the engine's state, or null for the in-memory {@link #values}. */
    private final ValueState<String> durable;

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
        this.durable = null;
    }

    private InstanceState(ValueState<String> durable) {
        this.maxKeys = Integer.MAX_VALUE;
        this.durable = durable;
    }

    /** The state of the instance {@code ctx} belongs to: the engine's, or in memory when it has none. */
    static InstanceState of(PluginContext ctx) {
        try {
            return new InstanceState(ctx.state().value(STATE_NAME, StateType.string()));
        } catch (UnsupportedOperationException e) {
            return new InstanceState();
        }
    }

    /** Whether the state is the engine's (durable). */
    boolean durable() {
        return durable != null;
    }

    String get(String key) {
        if (pending != null) {
            String p = pending.get(key);
            if (p != null) return p == DELETED ? null : p;
        }
        return committed(key);
    }

    void set(String key, String json) {
        if (durable == null && !has(key)) {
            if (values.size() + added >= maxKeys)
                throw new IllegalStateException("state holds " + maxKeys + " keys already");
            if (!values.containsKey(key)) added++;
        }
        writes().put(key, json);
    }

    void delete(String key) {
        if (!has(key)) return;
        if (durable == null && !values.containsKey(key)) added--;
        writes().put(key, DELETED);
    }

    /** Applies the current call's writes. */
    void commit() {
        Map<String, String> p = pending;
        if (p == null) return;
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (durable != null) {
                if (e.getValue() == DELETED) durable.delete(e.getKey());
                else durable.put(e.getKey(), e.getValue());
            } else if (e.getValue() == DELETED) {
                values.remove(e.getKey());
            } else {
                values.put(e.getKey(), e.getValue());
            }
        }
        pending = null;
        added = 0;
    }

    /** Drops the current call's writes: the state is as it was before the call. */
    void rollback() {
        pending = null;
        added = 0;
    }

    /** How many keys the in-memory state holds (committed). */
    int size() {
        return values.size();
    }

    private String committed(String key) {
        return durable != null ? durable.get(key) : values.get(key);
    }

    /** Whether {@code key} has a value as the current call sees it. */
    private boolean has(String key) {
        if (pending != null) {
            String p = pending.get(key);
            if (p != null) return p != DELETED;
        }
        return committed(key) != null;
    }

    private Map<String, String> writes() {
        Map<String, String> p = pending;
        if (p == null) pending = p = new HashMap<>();
        return p;
    }
}
