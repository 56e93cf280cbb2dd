package io.dataflare.workflow.durable;

import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Workflow metrics measured from the history events as they are appended (register it with
 * {@link io.dataflare.workflow.interpreter.WorkflowEngine#onEvent}); every duration is the difference of two
 * events' timestamps, nothing is estimated:
 *
 * <ul>
 *   <li>{@code dataflare.workflow.executions.started} and {@code dataflare.workflow.executions.ended} (tag
 *       {@code status}: SUCCEEDED, FAILED, TIMED_OUT, ABORTED), counters by {@code workflow};
 *   <li>{@code dataflare.workflow.state.duration} (StateEntered to StateExited, tag {@code state}) and
 *       {@code dataflare.workflow.task.duration} (TaskStarted to its result, tags {@code state}, {@code outcome}),
 *       histograms;
 *   <li>{@code dataflare.workflow.retries} (RetryScheduled) and the gauge {@code dataflare.workflow.timers.pending}
 *       (Waits and retry delays not fired, over the executions this process runs).
 * </ul>
 *
 * A state or task that began before a restart is measured only when its begin event is seen by this process.
 */
public final class WorkflowMetrics implements BiConsumer<HistoryEvent, ExecutionState> {
    private final MeterRegistry registry;
    private final String workflow;
    private final Map<String, Instant> begun = new ConcurrentHashMap<>();
    private final Map<String, Integer> timers = new ConcurrentHashMap<>();

    public WorkflowMetrics(MeterRegistry registry, String workflow) {
        this.registry = registry;
        this.workflow = workflow;
        Gauge.builder(
                        "dataflare.workflow.timers.pending",
                        timers,
                        t -> t.values().stream().mapToInt(Integer::intValue).sum())
                .tag("workflow", workflow)
                .description("Waits and retry delays not fired yet")
                .register(registry);
    }

    @Override
    public void accept(HistoryEvent e, ExecutionState s) {
        String exec = s.execution();
        switch (e.type()) {
            case ExecutionStarted ->
                counter("dataflare.workflow.executions.started").increment();
            case ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut, ExecutionAborted ->
                Counter.builder("dataflare.workflow.executions.ended")
                        .tag("workflow", workflow)
                        .tag("status", s.status().name())
                        .register(registry)
                        .increment();
            case StateEntered -> begun.put(exec + " state " + e.scope(), e.timestamp());
            case StateExited -> {
                Instant at = begun.remove(exec + " state " + e.scope());
                if (at != null)
                    timer("dataflare.workflow.state.duration", e.state(), null)
                            .record(Duration.between(at, e.timestamp()));
            }
            case TaskStarted -> begun.put(exec + " task " + e.taskKey(), e.timestamp());
            case TaskSucceeded, TaskFailed, TaskTimedOut -> {
                Instant at = begun.remove(exec + " task " + e.taskKey());
                if (at != null)
                    timer(
                                    "dataflare.workflow.task.duration",
                                    e.state(),
                                    e.type().name())
                            .record(Duration.between(at, e.timestamp()));
            }
            case RetryScheduled -> counter("dataflare.workflow.retries").increment();
            default -> {}
        }
        if (s.status().finished()) {
            timers.remove(exec);
            begun.keySet().removeIf(k -> k.startsWith(exec + " "));
        } else timers.put(exec, s.timers().size());
    }

    private Counter counter(String name) {
        return Counter.builder(name).tag("workflow", workflow).register(registry);
    }

    private Timer timer(String name, String state, String outcome) {
        Timer.Builder b = Timer.builder(name)
                .tag("workflow", workflow)
                .tag("state", state)
                .publishPercentileHistogram();
        if (outcome != null) b.tag("outcome", outcome);
        return b.register(registry);
    }
}
