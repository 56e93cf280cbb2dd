package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * An execution's state as of some event: a pure fold of its history. The interpreter keeps the live one by
 * {@link #apply applying} each event it appends, so that what a restarted process folds from the stored
 * history is exactly what the process that wrote it had. Its maps and sets are persistent (immutable, each
 * state sharing all but what an event changed with the one before): copying them at every event made a Map
 * state over N items cost O(N) per event, O(N^2) per execution (8,000 items: a 16 s fold).
 *
 * @param version      the sequence of the last event applied
 * @param activeStates the state each scope is in (scope to state name)
 * @param tasks        the tasks scheduled and not finished, by idempotency key
 * @param timers       the pending Waits and retry delays, by scope
 * @param openScopes   the branches and Map iterations started and not finished
 * @param transitions  how many states were entered
 */
public record ExecutionState(
        String execution,
        ExecutionStatus status,
        JsonNode input,
        JsonNode output,
        String error,
        String cause,
        Instant startedAt,
        Instant endedAt,
        long version,
        Map<String, String> activeStates,
        Map<String, PendingTask> tasks,
        Map<String, Instant> timers,
        Set<String> openScopes,
        int transitions) {

    /** A task scheduled and not finished: in flight once started, run again on resume. */
    public record PendingTask(
            String scope, String state, String resource, int attempt, JsonNode input, boolean started) {}

    public static ExecutionState initial() {
        return new ExecutionState(
                null,
                ExecutionStatus.NOT_STARTED,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                Map.of(),
                Map.of(),
                Map.of(),
                Set.of(),
                0);
    }

    /** The state after every event of {@code history}, in order. */
    public static ExecutionState fold(List<HistoryEvent> history) {
        ExecutionState s = initial();
        for (HistoryEvent e : history) s = s.apply(e);
        return s;
    }

    /** The state after {@code e}. */
    public ExecutionState apply(HistoryEvent e) {
        String exec = execution;
        ExecutionStatus st = status;
        JsonNode in = input, out = output;
        String err = error, cau = cause;
        Instant started = startedAt, ended = endedAt;
        PMap<String, String> active = persistent(activeStates);
        PMap<String, PendingTask> ts = persistent(tasks);
        PMap<String, Instant> tm = persistent(timers);
        PSet<String> open = persistent(openScopes);
        int trans = transitions;
        // a timer is over once anything else happens in its scope or below it
        if (e.type() != EventType.WaitStarted && e.type() != EventType.RetryScheduled && !tm.isEmpty())
            for (String scope : scopeAndAbove(e.scope())) tm = tm.minus(scope);
        switch (e.type()) {
            case ExecutionStarted -> {
                exec = e.execution();
                st = ExecutionStatus.RUNNING;
                in = e.input();
                started = e.timestamp();
            }
            case StateEntered -> {
                active = active.plus(e.scope(), e.state());
                trans++;
            }
            case StateExited -> active = active.minus(e.scope());
            case TaskScheduled ->
                ts = ts.plus(
                        e.taskKey(),
                        new PendingTask(e.scope(), e.state(), e.resource(), e.attempt(), e.input(), false));
            case TaskStarted -> {
                PendingTask p = ts.get(e.taskKey());
                if (p != null)
                    ts = ts.plus(
                            e.taskKey(),
                            new PendingTask(p.scope(), p.state(), p.resource(), p.attempt(), p.input(), true));
            }
            case TaskSucceeded, TaskFailed, TaskTimedOut -> ts = ts.minus(e.taskKey());
            case RetryScheduled, WaitStarted -> tm = tm.plus(e.scope(), e.fireAt());
            case WaitFired -> tm = tm.minus(e.scope());
            case BranchStarted, IterationStarted -> open = open.plus(e.scope());
            case BranchFinished, IterationFinished -> {
                open = open.minus(e.scope());
                active = active.minus(e.scope());
            }
            case ExecutionRedriven -> {
                // running again from the failed state: how it ended before is the history's, not the state's
                st = ExecutionStatus.RUNNING;
                out = null;
                err = null;
                cau = null;
                ended = null;
            }
            case ExecutionSucceeded, ExecutionFailed, ExecutionAborted, ExecutionTimedOut -> {
                st = switch (e.type()) {
                    case ExecutionSucceeded -> ExecutionStatus.SUCCEEDED;
                    case ExecutionFailed -> ExecutionStatus.FAILED;
                    case ExecutionAborted -> ExecutionStatus.ABORTED;
                    default -> ExecutionStatus.TIMED_OUT;
                };
                out = e.output();
                err = e.error();
                cau = e.cause();
                ended = e.timestamp();
                active = HashTreePMap.empty();
                ts = HashTreePMap.empty();
                tm = HashTreePMap.empty();
                open = HashTreePSet.empty();
            }
        }
        return new ExecutionState(
                exec, st, in, out, err, cau, started, ended, e.sequence(), active, ts, tm, open, trans);
    }

    /**
     * {@code scope} and every scope it is nested in ({@code "/3.0.1/5.0.2"}: itself, {@code "/3.0.1"} and the top
     * level {@code ""}): the scopes whose timers an event in {@code scope} can start or end.
     */
    public static List<String> scopeAndAbove(String scope) {
        List<String> scopes = new java.util.ArrayList<>();
        scopes.add(scope);
        for (int i = scope.lastIndexOf('/'); i >= 0; i = scope.lastIndexOf('/', i - 1)) {
            scopes.add(scope.substring(0, i));
            if (i == 0) break;
        }
        return scopes;
    }

    private static <K, V> PMap<K, V> persistent(Map<K, V> m) {
        return m instanceof PMap<K, V> p ? p : HashTreePMap.from(m);
    }

    private static <E> PSet<E> persistent(Set<E> s) {
        return s instanceof PSet<E> p ? p : HashTreePSet.from(s);
    }

    /** How it ended, or null while running. */
    public ExecutionResult result() {
        return status.finished() ? new ExecutionResult(execution, status, output, error, cause) : null;
    }
}
