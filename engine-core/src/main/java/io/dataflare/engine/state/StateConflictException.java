package io.dataflare.engine.state;

/**
 * A transaction expected a version of a key (or the last sequence number of a log) that the store does not
 * have; nothing of the transaction was applied. The caller reads again and decides whether to retry.
 */
public class StateConflictException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    /** What the expectation was about. */
    public enum Kind {
        /** a key's version; 0 means absent */
        KEY,
        /** a log's last sequence number; 0 means empty */
        LOG
    }

    private final Kind kind;
    private final String namespace;
    private final String name;
    private final long expected;
    private final long actual;

    public StateConflictException(String store, Kind kind, StateRef ref, long expected, long actual) {
        super(message(store, kind, ref, expected, actual));
        this.kind = kind;
        this.namespace = ref.namespace();
        this.name = ref.name();
        this.expected = expected;
        this.actual = actual;
    }

    private static String message(String store, Kind kind, StateRef ref, long expected, long actual) {
        return switch (kind) {
            case KEY ->
                "conflict in state store " + store + ": key " + ref + " was expected " + version(expected) + " but is "
                        + version(actual);
            case LOG ->
                "conflict in state store " + store + ": log " + ref + " was expected to end at sequence " + expected
                        + " but ends at " + actual;
        };
    }

    private static String version(long v) {
        return v == 0 ? "absent" : "at version " + v;
    }

    public Kind kind() {
        return kind;
    }

    public String namespace() {
        return namespace;
    }

    /** The key or the log id. */
    public String name() {
        return name;
    }

    /** The expected version (0: absent) or last sequence number (0: empty). */
    public long expected() {
        return expected;
    }

    /** What the store has. */
    public long actual() {
        return actual;
    }
}
