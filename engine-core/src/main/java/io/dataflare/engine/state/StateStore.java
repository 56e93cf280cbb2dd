package io.dataflare.engine.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Durable key-value state: checkpoints, task definitions and states, plugin state. Keys live in
 * namespaces; values are text (JSON by convention). {@link #put} is durable when it returns, and
 * atomic: after a crash a key holds either its old or its new value, never a mix.
 *
 * <p>Every key has a version ({@link #getVersioned}): 1 when it is created, one more at each put. Besides keys a
 * namespace holds append-only logs ({@link #read}, {@link #lastSequence}, {@link #truncateBefore}) whose
 * records have dense sequence numbers from 1. A {@link #transaction()} puts and deletes several keys and
 * appends to several logs atomically and durably, if the versions it expects hold
 * ({@link StateConflictException} otherwise, with nothing applied).
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

    /** The value of {@code key} with its version. */
    Optional<Versioned> getVersioned(String namespace, String key);

    /** A new transaction on this store; nothing happens until its {@link StateTransaction#commit()}. */
    StateTransaction transaction();

    /**
     * Appends one record to {@code log} durably (a transaction of one append).
     *
     * @return its sequence number
     */
    default long append(String namespace, String log, String record) {
        return transaction().append(namespace, log, record).commit().lastSequence(namespace, log);
    }

    /**
     * Up to {@code max} records of {@code log} in order, from sequence number {@code from} on (records truncated
     * away are skipped); empty for a log that does not exist.
     */
    List<LogRecord> read(String namespace, String log, long from, int max);

    /** The sequence number of the last record appended to {@code log} (kept when it is truncated); 0 if none. */
    long lastSequence(String namespace, String log);

    /**
     * Removes the records of {@code log} before sequence number {@code sequence} (after a snapshot took their
     * place); the sequence numbers of the others and of the next appends do not change.
     *
     * @throws IllegalArgumentException when {@code sequence} is beyond the last record plus one
     */
    void truncateBefore(String namespace, String log, long sequence);

    /** The ids of the logs of {@code namespace} that were ever appended to, in order. */
    SortedSet<String> logs(String namespace);

    /** Every namespace holding keys or logs, in order (for tools that go over all of the state). */
    SortedSet<String> namespaces();

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
