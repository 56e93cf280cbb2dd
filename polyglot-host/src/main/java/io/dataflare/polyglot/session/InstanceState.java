package io.dataflare.polyglot.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-key state of one processor instance ({@code ctx.state}, capability {@code state}): values are
 * kept as JSON text, so any language reads what another wrote and a move to the engine's state store
 * (checkpointed, shared by a key's successive instances) changes nothing for scripts. For now it is an
 * in-memory map per instance: it survives a replaced context, not a restart, and with {@code parallelism}
 * each instance sees the keys routed to it (use {@code routing.key}).
 */
final class InstanceState {
    /** Keys beyond which {@code set} fails, so a script cannot fill the heap through its state. */
    static final int MAX_KEYS = 1_000_000;

    private final Map<String, String> values = new HashMap<>();

    String get(String key) {
        return values.get(key);
    }

    void set(String key, String json) {
        if (!values.containsKey(key) && values.size() >= MAX_KEYS) {
            throw new IllegalStateException("state holds " + MAX_KEYS + " keys already");
        }
        values.put(key, json);
    }

    void delete(String key) {
        values.remove(key);
    }

    int size() {
        return values.size();
    }
}
