package io.dataflare.bench.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.ExecutionHistory;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One execution of a Map over N items, all at once ({@code MaxConcurrency: 0}), a Task each, for growing N: the
 * interpreter's cost per history event as an execution's state grows (N items pending at once: N open iterations,
 * N active states, N pending tasks). Events/s at each width against the narrowest width's, measured in the same run:
 * 1.0x means the cost per event does not grow with the state; 0.5x at twice the width is quadratic. In memory, on
 * the file store, and the fold of the stored history (what a restarted process does).
 *
 * <p>Arguments: the widths (default 1000 2000 4000 8000).
 */
public final class WideMapBench {
    static final String DEFINITION = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "End": true,
                      "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                      "ItemProcessor": {"StartAt": "Double", "States": {
                        "Double": {"Type": "Task", "Resource": "bench:double", "End": true}}}}}}
            """;

    private WideMapBench() {}

    record Width(int items, long events, double memorySeconds, double fileSeconds, double foldSeconds) {}

    static JsonNode input(int items) {
        ObjectNode o = WorkflowBench.MAPPER.createObjectNode();
        ArrayNode a = o.putArray("items");
        for (int i = 0; i < items; i++) a.add(i);
        return o;
    }

    static Width measure(StateMachine m, int items, Path dir) throws Exception {
        ExecutionHistory memory = new InMemoryHistory();
        long t0 = System.nanoTime();
        check(new WorkflowEngine(WorkflowBench.TASKS, new VirtualClock(Instant.EPOCH), memory)
                .run(m, "wide", input(items)));
        double memorySeconds = (System.nanoTime() - t0) / 1e9;
        try (StateStore file = new FileStateStore(Files.createTempDirectory(dir, "wide"))) {
            StoreHistory history = new StoreHistory(file);
            long t1 = System.nanoTime();
            check(new DurableWorkflows(history, WorkflowBench.TASKS, new VirtualClock(Instant.EPOCH))
                    .run(m, "wide", input(items)));
            double fileSeconds = (System.nanoTime() - t1) / 1e9;
            List<HistoryEvent> events = history.read("wide");
            long t2 = System.nanoTime();
            ExecutionState.fold(events);
            double foldSeconds = (System.nanoTime() - t2) / 1e9;
            return new Width(items, events.size(), memorySeconds, fileSeconds, foldSeconds);
        }
    }

    private static void check(ExecutionResult r) {
        if (r.status() != ExecutionStatus.SUCCEEDED) throw new IllegalStateException("failed: " + r);
    }

    public static void main(String[] args) throws Exception {
        int[] widths = args.length > 0
                ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1000, 2000, 4000, 8000};
        StateMachine m = Definitions.parse(DEFINITION, "wide.asl.json", false, r -> null);
        Path dir = Files.createTempDirectory("wide-map-bench");
        measure(m, widths[0], dir); // warm-up: the JIT compiles the interpreter and the store's code paths
        System.out.printf(
                Locale.ROOT,
                "%-8s %8s %14s %8s %14s %8s %14s %8s%n",
                "items",
                "events",
                "memory ev/s",
                "vs first",
                "file ev/s",
                "vs first",
                "fold ev/s",
                "vs first");
        Width first = null;
        for (int items : widths) {
            Width w = measure(m, items, dir);
            if (first == null) first = w;
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %8d %14.0f %7.2fx %14.0f %7.2fx %14.0f %7.2fx%n",
                    w.items(),
                    w.events(),
                    w.events() / w.memorySeconds(),
                    (w.events() / w.memorySeconds()) / (first.events() / first.memorySeconds()),
                    w.events() / w.fileSeconds(),
                    (w.events() / w.fileSeconds()) / (first.events() / first.fileSeconds()),
                    w.events() / w.foldSeconds(),
                    (w.events() / w.foldSeconds()) / (first.events() / first.foldSeconds()));
        }
    }
}
