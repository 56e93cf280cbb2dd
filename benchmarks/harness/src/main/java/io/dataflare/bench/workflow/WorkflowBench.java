package io.dataflare.bench.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.testing.PostgresServer;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.ExecutionHistory;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Durable workflow executions against the same steps as plain function calls, in one run: executions/s and
 * state transitions/s with the history in memory, on the file store and on PostgreSQL, and the time to replay
 * (read and fold) a stored history per 1,000 events. The workflow: a Map over 3 items (a Task each), then a
 * Parallel of a Task and a Pass, on a virtual clock (the durability overhead, not waiting, is measured).
 *
 * <p>Arguments: EXECUTIONS [PARALLEL]. Needs PostgreSQL's initdb/pg_ctl for its PostgreSQL row (skipped without).
 */
public final class WorkflowBench {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFINITION = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped", "Next": "Both",
                      "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                      "ItemProcessor": {"StartAt": "Double", "States": {
                        "Double": {"Type": "Task", "Resource": "bench:double", "End": true}}}},
              "Both": {"Type": "Parallel", "ResultPath": "$.parallel", "Next": "Done", "Branches": [
                {"StartAt": "Mark", "States": {"Mark": {"Type": "Pass", "Result": "marked", "End": true}}},
                {"StartAt": "Sum", "States": {"Sum": {"Type": "Task", "Resource": "bench:double",
                                                      "Parameters": {"v.$": "$.i"}, "End": true}}}]},
              "Done": {"Type": "Succeed"}}}
            """;

    private WorkflowBench() {}

    /** The task: doubles {@code v}. */
    static final TaskInvoker TASKS = new TaskInvoker() {
        @Override
        public JsonNode invoke(TaskRequest request) throws StatesError {
            return MAPPER.createObjectNode().put("v", request.input().path("v").asLong() * 2);
        }
    };

    static JsonNode input(int i) {
        ObjectNode o = MAPPER.createObjectNode().put("i", i);
        o.putArray("items").add(i).add(i + 1).add(i + 2);
        return o;
    }

    /** The same steps as plain calls: the Map's three tasks, the Parallel's task and its Pass. */
    static JsonNode plain(int i) throws Exception {
        ObjectNode o = (ObjectNode) input(i);
        var mapped = o.putArray("mapped");
        for (JsonNode item : o.get("items"))
            mapped.add(TASKS.invoke(new TaskRequest(
                    "e", "Double", "bench:double", MAPPER.createObjectNode().set("v", item), "k", 0)));
        var parallel = o.putArray("parallel");
        parallel.add("marked");
        parallel.add(TASKS.invoke(new TaskRequest(
                "e", "Sum", "bench:double", MAPPER.createObjectNode().put("v", i), "k", 0)));
        return o;
    }

    record Row(String name, int executions, long transitions, long events, double seconds) {
        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-22s %10d %14.1f %18.1f %12.1f",
                    name,
                    executions,
                    executions / seconds,
                    transitions / seconds,
                    events / seconds);
        }
    }

    static Row durable(String name, StoreHistoryFactory factory, StateMachine m, int n, int parallel) throws Exception {
        ExecutionHistory history = factory.history();
        WorkflowEngine engine = new WorkflowEngine(TASKS, new VirtualClock(Instant.EPOCH), history);
        DurableWorkflows durable = history instanceof StoreHistory sh
                ? new DurableWorkflows(sh, TASKS, new VirtualClock(Instant.EPOCH))
                : null;
        Semaphore slots = new Semaphore(parallel);
        List<Future<ExecutionResult>> runs = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                slots.acquire();
                runs.add(pool.submit(() -> {
                    try {
                        String exec = name + "-" + k;
                        return durable != null ? durable.run(m, exec, input(k)) : engine.run(m, exec, input(k));
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<ExecutionResult> f : runs)
                if (f.get().status() != ExecutionStatus.SUCCEEDED)
                    throw new IllegalStateException("failed: " + f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long transitions = 0, events = 0;
        for (int i = 0; i < n; i++) {
            List<HistoryEvent> h = history.read(name + "-" + i);
            events += h.size();
            transitions += ExecutionState.fold(h).transitions();
        }
        return new Row(name, n, transitions, events, seconds);
    }

    interface StoreHistoryFactory {
        ExecutionHistory history() throws Exception;
    }

    /** Reading and folding every stored history of {@code prefix}: ms per 1,000 events. */
    static String replay(String name, StoreHistory history, String prefix, int n) {
        long events = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            List<HistoryEvent> h = history.read(prefix + "-" + i);
            events += h.size();
            ExecutionState.fold(h);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long snapStart = System.nanoTime();
        for (int i = 0; i < n; i++) history.state(prefix + "-" + i);
        double snapMs = (System.nanoTime() - snapStart) / 1e6;
        return String.format(
                Locale.ROOT,
                "%-22s %10d events: read + fold %8.2f ms per 1,000 events; state (snapshot + tail) %8.2f ms per 1,000"
                        + " events",
                name,
                events,
                ms * 1000 / events,
                snapMs * 1000 / events);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        StateMachine m = Definitions.parse(DEFINITION, "bench.asl.json", false, r -> null);
        // warm-up: the JIT compiles the interpreter and the stores' code paths
        durable("warm-memory", InMemoryHistory::new, m, Math.min(n, 500), parallel);
        Path dir = Files.createTempDirectory("workflow-bench");

        List<String> out = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) plain(i);
        double plainSeconds = (System.nanoTime() - start) / 1e9;
        out.add(String.format(
                Locale.ROOT, "%-22s %10d %14.1f %18s %12s", "plain-calls", n, n / plainSeconds, "-", "-"));
        out.add(durable("memory-history", InMemoryHistory::new, m, n, parallel).line());
        try (StateStore file = new FileStateStore(dir.resolve("state"))) {
            StoreHistory fh = new StoreHistory(file);
            out.add(durable("file-store", () -> fh, m, n, parallel).line());
            out.add("");
            out.add(replay("replay file-store", fh, "file-store", n));
        }
        try (PostgresServer pg = PostgresServer.start();
                StateStore store = StateStores.open(pg.createDatabase("workflows"))) {
            StoreHistory ph = new StoreHistory(store);
            out.add(
                    out.size() - 2,
                    durable("postgresql-store", () -> ph, m, n, parallel).line());
            out.add(replay("replay postgresql", ph, "postgresql-store", n));
        } catch (Exception e) {
            out.add("postgresql: not measured (" + e.getMessage() + ")");
        }
        System.out.printf(
                Locale.ROOT,
                "%-22s %10s %14s %18s %12s%n",
                "row",
                "executions",
                "executions/s",
                "transitions/s",
                "events/s");
        out.forEach(System.out::println);
    }
}
