package io.dataflare.engine.state;

import java.util.Map;
import java.util.Optional;

/**
 * Durable key-value state: checkpoints, task definitions and states, plugin state. Keys live in
 * namespaces; values are text (JSON by convention). {@link #put} is durable when it returns, and
 * atomic: after a crash a key holds either its old or its new value, never a mix.
 *
 * <p>Backends: {@link MemoryStateStore} (tests), {@link FileStateStore} (the embedded default) and
 * {@link JdbcStateStore} (SQLite, PostgreSQL). Open one with {@link StateStores#open(String)}.
 */
public interface StateStore extends AutoCloseable {
    /** The value of {@code key} in {@code namespace}. */
    Optional<String> get(String namespace, String key);

    /** Sets {@code key} durably and atomically. */
    void put(String namespace, String key, String value);

    /** Removes {@code key}; returns whether it was there. */
    boolean delete(String namespace, String key);

    /** Every key and value of {@code namespace}, by key. */
    Map<String, String> list(String namespace);

    /**
     * Takes the exclusive lock {@code name} (by convention a checkpoint key) until the returned lock is
     * closed or this process dies. Locks are independent of keys and values: they keep two runs of one
     * pipeline from sharing its state, across processes for the file and database stores.
     *
     * @param owner who takes it (process, host, pipeline), shown to a run that is refused
     * @throws StateLockedException when another run holds it
     */
    StateLock lock(String name, String owner);

    /** Where the state lives, for messages ({@code file:/var/dataflare/state}, {@code jdbc:postgresql://...}). */
    String describe();

    @Override
    default void close() {}
}
