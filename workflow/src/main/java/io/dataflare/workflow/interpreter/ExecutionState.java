package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An execution's state as of some event: a pure fold of its history. The interpreter keeps the live one by
 * {@link #apply applying} each event it appends, so that what a restarted process folds from the stored
 * history is exactly what the process that wrote it had.
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
        Map<String, String> active = new TreeMap<>(activeStates);
        Map<String, PendingTask> ts = new TreeMap<>(tasks);
        Map<String, Instant> tm = new TreeMap<>(timers);
        Set<String> open = new TreeSet<>(openScopes);
        int trans = transitions;
        // a timer is over once anything else happens in its scope or below it
        if (e.type() != EventType.WaitStarted && e.type() != EventType.RetryScheduled) {
            tm.keySet().removeIf(scope -> e.scope().equals(scope) || e.scope().startsWith(scope + "/"));
        }
        switch (e.type()) {
            case ExecutionStarted -> {
                exec = e.execution();
                st = ExecutionStatus.RUNNING;
                in = e.input();
                started = e.timestamp();
            }
            case StateEntered -> {
                active.put(e.scope(), e.state());
                trans++;
            }
            case StateExited -> active.remove(e.scope());
            case TaskScheduled ->
                ts.put(e.taskKey(), new PendingTask(e.scope(), e.state(), e.resource(), e.attempt(), e.input(), false));
            case TaskStarted -> {
                PendingTask p = ts.get(e.taskKey());
                if (p != null)
                    ts.put(
                            e.taskKey(),
                            new PendingTask(p.scope(), p.state(), p.resource(), p.attempt(), p.input(), true));
            }
            case TaskSucceeded, TaskFailed, TaskTimedOut -> ts.remove(e.taskKey());
            case RetryScheduled, WaitStarted -> tm.put(e.scope(), e.fireAt());
            case WaitFired -> tm.remove(e.scope());
            case BranchStarted, IterationStarted -> open.add(e.scope());
            case BranchFinished, IterationFinished -> {
                open.remove(e.scope());
                active.remove(e.scope());
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
                active.clear();
                ts.clear();
                tm.clear();
                open.clear();
            }
        }
        return new ExecutionState(
                exec,
                st,
                in,
                out,
                err,
                cau,
                started,
                ended,
                e.sequence(),
                Map.copyOf(active),
                Map.copyOf(ts),
                Map.copyOf(tm),
                Set.copyOf(open),
                trans);
    }

    /** How it ended, or null while running. */
    public ExecutionResult result() {
        return status.finished() ? new ExecutionResult(execution, status, output, error, cause) : null;
    }
}
