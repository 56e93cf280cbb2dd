package io.dataflare.workflow.interpreter;

import java.util.List;

/**
 * Where executions' events are kept: an append-only log per execution with an optimistic version check, so
 * that a durable store can replace the in-memory one and two processes never both extend one history.
 */
public interface ExecutionHistory {
    /** The execution's events in order (empty when it never started). */
    List<HistoryEvent> read(String execution);

    /**
     * Appends one event.
     *
     * @param expectedVersion the sequence of the last event the caller has seen (0 for none)
     * @throws VersionConflictException when the history has moved on since
     */
    void append(String execution, long expectedVersion, HistoryEvent event);

    /**
     * Appends consecutive events at once: a durable history stores them in one transaction (all or none), so
     * that a step's events cost one commit. This default appends them one by one.
     *
     * @param expectedVersion the sequence of the last event the caller has seen (0 for none)
     * @throws VersionConflictException when the history has moved on since
     */
    default void appendAll(String execution, long expectedVersion, List<HistoryEvent> events) {
        long version = expectedVersion;
        for (HistoryEvent e : events) {
            append(execution, version, e);
            version = e.sequence();
        }
    }

    /**
     * The execution's current state. This default folds its whole history; a history that keeps snapshots
     * folds only the events after the latest one.
     */
    default ExecutionState state(String execution) {
        return ExecutionState.fold(read(execution));
    }

    /** The names of the executions kept. */
    List<String> executions();

    /** Another writer appended to the history first. */
    final class VersionConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public VersionConflictException(String execution, long expected, long actual) {
            super("execution '" + execution + "': expected history version " + expected + ", found " + actual);
        }
    }
}
