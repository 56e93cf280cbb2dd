package io.dataflare.workflow.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.validation.Definitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The metrics are what the events say: durations from their timestamps, counts from their types. */
class WorkflowMetricsTest {
    @Test
    void countsAndDurationsComeFromTheEvents() throws Exception {
        StateMachine m = Definitions.parse("""
                {"StartAt": "Pause", "States": {
                  "Pause": {"Type": "Wait", "Seconds": 42, "Next": "Flaky"},
                  "Flaky": {"Type": "Task", "Resource": "test:fail:Flaky:2",
                            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3}], "Next": "Bad"},
                  "Bad": {"Type": "Fail", "Error": "Nope"}}}
                """, "metrics.asl.json", false, TestTasks.CHECK);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkflowMetrics metrics = new WorkflowMetrics(registry, "wf");
        WorkflowEngine engine =
                new WorkflowEngine(new TestTasks(), new VirtualClock(Instant.EPOCH), new InMemoryHistory());
        List<Double> pendingDuringWait = new ArrayList<>();
        engine.onEvent((e, s) -> {
            metrics.accept(e, s);
            if (e.type() == EventType.WaitStarted || e.type() == EventType.RetryScheduled)
                pendingDuringWait.add(registry.get("dataflare.workflow.timers.pending")
                        .gauge()
                        .value());
        });
        var mapper = new ObjectMapper();
        engine.run(m, "a", mapper.createObjectNode());
        engine.run(m, "b", mapper.createObjectNode());

        assertThat(registry.get("dataflare.workflow.executions.started")
                        .tag("workflow", "wf")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("dataflare.workflow.executions.ended")
                        .tag("status", "FAILED")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("dataflare.workflow.retries").counter().count()).isEqualTo(4);
        var waits = registry.get("dataflare.workflow.state.duration")
                .tag("state", "Pause")
                .timer();
        assertThat(waits.count()).isEqualTo(2);
        assertThat(waits.totalTime(TimeUnit.SECONDS)).isEqualTo(84);
        // Flaky: two retry delays of 3 s and 6 s (backoff 2.0) between entering and leaving it
        var flaky = registry.get("dataflare.workflow.state.duration")
                .tag("state", "Flaky")
                .timer();
        assertThat(flaky.totalTime(TimeUnit.SECONDS)).isEqualTo(18);
        assertThat(registry.get("dataflare.workflow.task.duration")
                        .tag("outcome", "TaskFailed")
                        .timer()
                        .count())
                .isEqualTo(4);
        assertThat(registry.get("dataflare.workflow.task.duration")
                        .tag("outcome", "TaskSucceeded")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(pendingDuringWait).containsOnly(1.0);
        assertThat(registry.get("dataflare.workflow.timers.pending").gauge().value())
                .isZero();
    }
}
