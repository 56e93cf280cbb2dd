package io.dataflare.bench.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.WorkflowClock;
import io.dataflare.workflow.queue.ActivityTaskInvoker;
import io.dataflare.workflow.queue.TaskQueue;
import io.dataflare.workflow.validation.Definitions;
import io.dataflare.workflow.validation.ResourceCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The latency an activity task adds, one execution at a time (latency, not throughput): <b>poll-to-dispatch</b>,
 * from the TaskScheduled event's timestamp (taken just before its commit, which enqueues the task) to the moment
 * a worker that was already long-polling holds the task; <b>completion-to-next-state</b>, from the worker's success call to the
 * next state's StateEntered event committed. Same process, so both include the stores' commits, not HTTP
 * ({@link ActivityHttpLatencyBench} measures them over HTTP against a running server).
 *
 * <p>Arguments: EXECUTIONS [memory|file].
 */
public final class ActivityLatencyBench {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFINITION = """
            {"StartAt": "Work", "States": {
              "Work": {"Type": "Task", "Resource": "activity:work", "ResultPath": "$.r", "Next": "After"},
              "After": {"Type": "Pass", "End": true}}}
            """;

    private ActivityLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String kind = args.length > 1 ? args[1] : "file";
        Path dir = Files.createTempDirectory("activity-latency");
        try (StateStore store = kind.equals("memory") ? new MemoryStateStore() : new FileStateStore(dir)) {
            run(store, kind, n);
        }
    }

    static void run(StateStore store, String kind, int n) throws Exception {
        TaskQueue queue = new TaskQueue(store, InstantSource.system());
        StoreHistory history = new StoreHistory(store, 100, queue);
        ActivityTaskInvoker tasks = new ActivityTaskInvoker(queue, r -> r.input(), ResourceCheck.ANY);
        StateMachine machine = Definitions.parse(DEFINITION, "latency.asl.json", false, tasks);
        DurableWorkflows workflows = new DurableWorkflows(history, tasks, WorkflowClock.SYSTEM);
        Map<String, java.time.Instant> scheduled = new ConcurrentHashMap<>();
        Map<String, Long> nextEntered = new ConcurrentHashMap<>();
        workflows.engine().onEvent((e, s) -> {
            if (e.type() == EventType.TaskScheduled) scheduled.put(s.execution(), e.timestamp());
            if (e.type() == EventType.StateEntered && "After".equals(e.state()))
                nextEntered.put(s.execution(), System.nanoTime());
        });
        long[] dispatch = new long[n];
        long[] next = new long[n];
        JsonNode input = MAPPER.readTree("{\"v\": 1}");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String name = "lat-" + i;
                Future<TaskQueue.Lease> poll = pool.submit(() ->
                        queue.poll("work", "bench", Duration.ofSeconds(30)).orElseThrow());
                Thread.sleep(2); // the worker is waiting when the task comes
                Future<ExecutionResult> run = pool.submit(() -> workflows.run(machine, name, input));
                TaskQueue.Lease lease = poll.get();
                java.time.Instant taken = java.time.Instant.now();
                long done = System.nanoTime();
                queue.succeed(lease.token(), MAPPER.readTree("{\"ok\": true}"));
                ExecutionResult r = run.get();
                if (r.status() != ExecutionStatus.SUCCEEDED) throw new IllegalStateException(name + ": " + r);
                dispatch[i] = Duration.between(scheduled.get(name), taken).toNanos();
                next[i] = nextEntered.get(name) - done;
            }
        }
        System.out.printf(
                "%-22s %6d tasks  p50 %8.2f ms  p99 %8.2f ms%n",
                kind + " poll-to-dispatch", n, p(dispatch, 50), p(dispatch, 99));
        System.out.printf(
                "%-22s %6d tasks  p50 %8.2f ms  p99 %8.2f ms%n",
                kind + " completion-to-next", n, p(next, 50), p(next, 99));
    }

    static double p(long[] nanos, int percentile) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(percentile / 100.0 * s.length) - 1;
        return s[Math.max(0, i)] / 1e6;
    }
}
