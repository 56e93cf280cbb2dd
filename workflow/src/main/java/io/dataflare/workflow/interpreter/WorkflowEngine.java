package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.workflow.definition.StateMachine;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Runs executions of validated state machines, recording each as a history of events. Running an execution
 * whose history is unfinished resumes it: what the history says happened is replayed, not done again, and the
 * execution carries on from where the history ends.
 */
public final class WorkflowEngine {
    private final TaskInvoker tasks;
    private final WorkflowClock clock;
    private final ExecutionHistory history;
    private final ConcurrentHashMap<String, Execution> running = new ConcurrentHashMap<>();
    private volatile BiConsumer<HistoryEvent, ExecutionState> listener = (e, s) -> {};

    public WorkflowEngine(TaskInvoker tasks, WorkflowClock clock, ExecutionHistory history) {
        this.tasks = Objects.requireNonNull(tasks);
        this.clock = Objects.requireNonNull(clock);
        this.history = Objects.requireNonNull(history);
    }

    /** Called for every event once it is stored in the history (a step's events at a time), with the state after it. */
    public void onEvent(BiConsumer<HistoryEvent, ExecutionState> listener) {
        this.listener = listener;
    }

    public ExecutionHistory history() {
        return history;
    }

    /**
     * Runs the execution {@code name} to its end: starts it with {@code input}, or resumes it when its history
     * is unfinished (its recorded input is used), or answers how it ended when it already has.
     */
    public ExecutionResult run(StateMachine machine, String name, JsonNode input) throws InterruptedException {
        // a finished execution is answered from its state (from the latest snapshot on a store) without reading
        // its history; an unfinished one is replayed from its whole history, which the interpreter matches
        // step by step against the definition
        ExecutionState current = history.state(name);
        if (current.status().finished()) return current.result();
        List<HistoryEvent> past = history.read(name);
        ExecutionState folded = ExecutionState.fold(past);
        if (folded.status().finished()) return folded.result();
        Execution e = new Execution(name, machine, tasks, clock, history, past, folded, listener);
        if (running.putIfAbsent(name, e) != null)
            throw new IllegalStateException("execution '" + name + "' is already running in this process");
        try {
            return e.run(folded.input() != null ? folded.input() : input);
        } finally {
            running.remove(name);
        }
    }

    /** The statuses an execution may be redriven from. */
    public static final Set<ExecutionStatus> REDRIVABLE =
            Set.of(ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED);

    /**
     * Records that the finished execution {@code name} goes on from the state that failed (the top-level state it
     * entered last), with the input that state had: an {@code ExecutionRedriven} event, after which the execution
     * is RUNNING again and {@link #run} carries it on from that state. What ran before stays in the history and is
     * not run again; a failure inside a Parallel or Map runs that whole state again.
     *
     * @return the recorded event (its {@code state} and {@code input}: where the execution goes on)
     * @throws NotRedrivableException when the execution is not FAILED, TIMED_OUT or ABORTED, or its definition lacks
     *                                 the failed state
     * @throws ExecutionHistory.VersionConflictException when another process changed its history meanwhile
     */
    public HistoryEvent redrive(StateMachine machine, String name) {
        ExecutionState current = history.state(name);
        if (!REDRIVABLE.contains(current.status()))
            throw new NotRedrivableException("execution '" + name + "' is " + current.status()
                    + ": only a FAILED, TIMED_OUT or ABORTED execution can be redriven");
        String state = null;
        JsonNode input = null;
        for (HistoryEvent e : history.read(name)) {
            boolean topEntered = e.type() == EventType.StateEntered && e.scope().isEmpty();
            if (topEntered || e.type() == EventType.ExecutionRedriven) {
                state = e.state();
                input = e.input();
            }
        }
        if (state != null && machine.state(state) == null)
            throw new NotRedrivableException(
                    "execution '" + name + "' failed in state '" + state + "', which its definition does not have");
        HistoryEvent event = HistoryEvent.of(EventType.ExecutionRedriven, "", state)
                .withInput(input)
                .numbered(current.version() + 1, clock.now());
        history.appendAll(name, current.version(), List.of(event));
        return event;
    }

    /** An execution that cannot be redriven: not FAILED, TIMED_OUT or ABORTED, or its failed state is gone. */
    public static final class NotRedrivableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public NotRedrivableException(String message) {
            super(message);
        }
    }

    /** Stops a running execution: it ends ABORTED with {@code cause}. Returns whether it was running here. */
    public boolean stop(String name, String cause) {
        Execution e = running.get(name);
        if (e == null) return false;
        e.abort(cause);
        return true;
    }
}
