package io.dataflare.engine.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * One atomic, durable change to a state store: puts and deletes of keys in any namespaces, appends to any
 * logs, and the versions they expect. {@link #commit()} applies all of it or, when an expectation does not
 * hold ({@link StateConflictException}) or the store fails, nothing; after a crash either all of a committed
 * transaction is there or none of it. Get one from {@link StateStore#transaction()}; it commits once.
 *
 * <p>Within a transaction the last put or delete of a key wins (its version grows by one per transaction,
 * not per put), appends to one log keep their order, and every expectation is checked against the store as
 * it was before the transaction.
 */
public final class StateTransaction {
    /** What a backend does with a transaction's plan. */
    @FunctionalInterface
    interface Committer {
        StateCommit commit(Plan plan);
    }

    private final Committer committer;
    private final Map<StateRef, Optional<String>> writes = new LinkedHashMap<>();
    private final Map<StateRef, List<String>> appends = new LinkedHashMap<>();
    private final Map<StateRef, Long> versions = new LinkedHashMap<>();
    private final Map<StateRef, Long> logEnds = new LinkedHashMap<>();
    private boolean committed;

    StateTransaction(Committer committer) {
        this.committer = committer;
    }

    /** Sets {@code key} to {@code value}. */
    public StateTransaction put(String namespace, String key, String value) {
        if (value == null)
            throw new IllegalArgumentException("a state value must not be null: " + namespace + "/" + key);
        writes.put(new StateRef(namespace, key), Optional.of(value));
        return open();
    }

    /** Removes {@code key} (nothing happens to a key that is not there). */
    public StateTransaction delete(String namespace, String key) {
        writes.put(new StateRef(namespace, key), Optional.empty());
        return open();
    }

    /** Appends {@code record} to the log {@code log} of {@code namespace} (created by its first append). */
    public StateTransaction append(String namespace, String log, String record) {
        if (record == null)
            throw new IllegalArgumentException("a log record must not be null: " + namespace + "/" + log);
        appends.computeIfAbsent(new StateRef(namespace, log), r -> new ArrayList<>())
                .add(record);
        return open();
    }

    /** Commits only if {@code key} is at {@code version} ({@code 0}: absent). */
    public StateTransaction expectVersion(String namespace, String key, long version) {
        if (version < 0) throw new IllegalArgumentException("a version is 0 (absent) or more: " + version);
        expect(versions, new StateRef(namespace, key), version, "versions");
        return open();
    }

    /** Commits only if {@code key} is not there. */
    public StateTransaction expectAbsent(String namespace, String key) {
        return expectVersion(namespace, key, 0);
    }

    /** Commits only if the last record of {@code log} has sequence number {@code lastSequence} ({@code 0}: empty). */
    public StateTransaction expectLogEnd(String namespace, String log, long lastSequence) {
        if (lastSequence < 0)
            throw new IllegalArgumentException("a last sequence number is 0 (empty) or more: " + lastSequence);
        expect(logEnds, new StateRef(namespace, log), lastSequence, "last sequence numbers");
        return open();
    }

    /**
     * Applies the transaction atomically and durably.
     *
     * @return the keys' new versions and the logs' new last sequence numbers
     * @throws StateConflictException when an expectation does not hold; nothing was applied
     * @throws StateStoreException    when the store fails; nothing was applied
     */
    public StateCommit commit() {
        open();
        committed = true;
        return committer.commit(new Plan(
                Collections.unmodifiableMap(writes),
                Collections.unmodifiableMap(appends),
                Collections.unmodifiableMap(versions),
                Collections.unmodifiableMap(logEnds)));
    }

    private StateTransaction open() {
        if (committed) throw new IllegalStateException("this transaction was committed already; start another");
        return this;
    }

    private static void expect(Map<StateRef, Long> expectations, StateRef ref, long value, String what) {
        Long before = expectations.putIfAbsent(ref, value);
        if (before != null && before != value)
            throw new IllegalArgumentException(
                    "the transaction expects two different " + what + " of " + ref + ": " + before + " and " + value);
    }

    /**
     * A transaction as the backends see it.
     *
     * @param writes   the final value of each key written ({@code Optional.empty()}: deleted), in first-write order
     * @param appends  the records to append, per log
     * @param versions the expected versions of keys (0: absent)
     * @param logEnds  the expected last sequence numbers of logs (0: empty)
     */
    record Plan(
            Map<StateRef, Optional<String>> writes,
            Map<StateRef, List<String>> appends,
            Map<StateRef, Long> versions,
            Map<StateRef, Long> logEnds) {

        /** Throws the first expectation that does not hold, given the store's current versions and log ends. */
        void check(String store, ToLongFunction<StateRef> versionOf, ToLongFunction<StateRef> logEndOf) {
            versions.forEach((ref, expected) -> {
                long actual = versionOf.applyAsLong(ref);
                if (actual != expected)
                    throw new StateConflictException(store, StateConflictException.Kind.KEY, ref, expected, actual);
            });
            logEnds.forEach((ref, expected) -> {
                long actual = logEndOf.applyAsLong(ref);
                if (actual != expected)
                    throw new StateConflictException(store, StateConflictException.Kind.LOG, ref, expected, actual);
            });
        }

        /** How many single writes (puts, deletes, records) it makes. */
        int size() {
            return writes.size()
                    + appends.values().stream().mapToInt(List::size).sum();
        }
    }
}
