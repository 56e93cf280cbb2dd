package io.dataflare.workflow.durable;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.state.StateLock;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.WorkflowClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Workflows whose executions survive the process: a {@link WorkflowEngine} over a {@link StoreHistory}. Running
 * an execution takes the store's lock on its name for as long as it runs (another process running the same
 * name is refused at once instead of failing on its first append), then starts it, resumes it from its
 * history, or answers its recorded end: {@link #run} is idempotent by name.
 */
public final class DurableWorkflows {
    private final StoreHistory history;
    private final WorkflowEngine engine;

    public DurableWorkflows(StateStore store, TaskInvoker tasks, WorkflowClock clock) {
        this(new StoreHistory(store), tasks, clock);
    }

    public DurableWorkflows(StoreHistory history, TaskInvoker tasks, WorkflowClock clock) {
        this.history = history;
        this.engine = new WorkflowEngine(tasks, clock, history);
    }

    public StoreHistory history() {
        return history;
    }

    public WorkflowEngine engine() {
        return engine;
    }

    /**
     * Runs the execution {@code name} to its end (see {@link WorkflowEngine#run}) holding its lock.
     *
     * @throws io.dataflare.engine.state.StateLockedException when another process is running it
     */
    public ExecutionResult run(StateMachine machine, String name, JsonNode input) throws InterruptedException {
        try (StateLock lock = history.store().lock(lockName(name), owner())) {
            return engine.run(machine, name, input);
        }
    }

    /**
     * Redrives the finished execution {@code name} from its failed state (see {@link WorkflowEngine#redrive}) and
     * runs it to its end, holding its lock.
     *
     * @throws WorkflowEngine.NotRedrivableException when it is not FAILED, TIMED_OUT or ABORTED
     * @throws io.dataflare.engine.state.StateLockedException when another process is running it
     */
    public ExecutionResult redrive(StateMachine machine, String name) throws InterruptedException {
        try (StateLock lock = history.store().lock(lockName(name), owner())) {
            engine.redrive(machine, name);
            return engine.run(machine, name, null);
        }
    }

    /**
     * Resumes every unfinished execution of the store, all at once (each on a virtual thread), and waits for
     * them to end: tasks in flight are run again under their idempotency keys, Waits and retry delays fire at
     * their recorded times.
     *
     * @param machines the definition of each execution, by name (null: left alone)
     * @return how each resumed execution ended, by name
     */
    public Map<String, ExecutionResult> resumeUnfinished(Function<String, StateMachine> machines)
            throws InterruptedException, ExecutionException {
        Map<String, Future<ExecutionResult>> runs = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : history.unfinished()) {
                StateMachine m = machines.apply(name);
                if (m != null) runs.put(name, pool.submit(() -> run(m, name, null)));
            }
            Map<String, ExecutionResult> out = new LinkedHashMap<>();
            for (var e : runs.entrySet()) out.put(e.getKey(), e.getValue().get());
            return out;
        }
    }

    /** The names of the executions of the store (registry), in order. */
    public List<String> executions() {
        return new ArrayList<>(history.executions());
    }

    private static String lockName(String name) {
        return "workflow-execution/" + name;
    }

    private static String owner() {
        return "dataflare workflow (pid " + ProcessHandle.current().pid() + ")";
    }
}
