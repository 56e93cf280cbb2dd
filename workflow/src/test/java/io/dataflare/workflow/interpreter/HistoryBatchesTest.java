package io.dataflare.workflow.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.validation.Definitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interpreter writes a step's events in one append, and writes them before every effect a resumed execution
 * must find recorded: the task call (its TaskStarted) and the timer's sleep (its WaitStarted / RetryScheduled).
 */
class HistoryBatchesTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String DEFINITION = """
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Next": "B"},
              "B": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Work"}], "Default": "A"},
              "Work": {"Type": "Task", "Resource": "test:fail:Flaky:1", "Next": "Pause",
                       "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2}]},
              "Pause": {"Type": "Wait", "Seconds": 5, "Next": "C"},
              "C": {"Type": "Pass", "End": true}}}
            """;

    /** An in-memory history that keeps each append's events as one batch. */
    static final class Batches implements ExecutionHistory {
        final InMemoryHistory events = new InMemoryHistory();
        final List<List<EventType>> batches = new ArrayList<>();

        @Override
        public List<HistoryEvent> read(String execution) {
            return events.read(execution);
        }

        @Override
        public void append(String execution, long expectedVersion, HistoryEvent event) {
            appendAll(execution, expectedVersion, List.of(event));
        }

        @Override
        public synchronized void appendAll(String execution, long expectedVersion, List<HistoryEvent> batch) {
            events.appendAll(execution, expectedVersion, batch);
            batches.add(batch.stream().map(HistoryEvent::type).toList());
        }

        @Override
        public List<String> executions() {
            return events.executions();
        }

        EventType last(String execution) {
            List<HistoryEvent> events = read(execution);
            return events.get(events.size() - 1).type();
        }
    }

    @Test
    void aStepsEventsAreOneAppendWrittenBeforeTheTaskCallAndTheSleep() throws Exception {
        Batches history = new Batches();
        List<EventType> lastStoredAtCall = new ArrayList<>();
        List<EventType> lastStoredAtSleep = new ArrayList<>();
        TestTasks test = new TestTasks();
        TaskInvoker tasks = new TaskInvoker() {
            @Override
            public JsonNode invoke(TaskRequest request) throws StatesError, InterruptedException {
                lastStoredAtCall.add(history.last("x"));
                return test.invoke(request);
            }
        };
        VirtualClock virtual = new VirtualClock(START);
        WorkflowClock clock = new WorkflowClock() {
            @Override
            public Instant now() {
                return virtual.now();
            }

            @Override
            public void sleepUntil(Instant time) {
                lastStoredAtSleep.add(history.last("x"));
                virtual.sleepUntil(time);
            }
        };
        StateMachine m = Definitions.parse(DEFINITION, "batches.asl.json", false, TestTasks.CHECK);
        JsonNode input = new ObjectMapper().readTree("{\"n\": 1}");

        ExecutionResult r = new WorkflowEngine(tasks, clock, history).run(m, "x", input);

        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(lastStoredAtCall)
                .as("each attempt's TaskStarted is stored before its call")
                .containsExactly(EventType.TaskStarted, EventType.TaskStarted);
        assertThat(lastStoredAtSleep)
                .as("each timer is stored before its sleep")
                .containsExactly(EventType.RetryScheduled, EventType.WaitStarted);
        assertThat(history.batches)
                .containsExactly(
                        List.of(
                                EventType.ExecutionStarted,
                                EventType.StateEntered,
                                EventType.StateExited,
                                EventType.StateEntered,
                                EventType.StateExited,
                                EventType.StateEntered,
                                EventType.TaskScheduled,
                                EventType.TaskStarted),
                        List.of(EventType.TaskFailed, EventType.RetryScheduled),
                        List.of(EventType.TaskScheduled, EventType.TaskStarted),
                        List.of(
                                EventType.TaskSucceeded,
                                EventType.StateExited,
                                EventType.StateEntered,
                                EventType.WaitStarted),
                        List.of(
                                EventType.WaitFired,
                                EventType.StateExited,
                                EventType.StateEntered,
                                EventType.StateExited,
                                EventType.ExecutionSucceeded));
        assertThat(ExecutionState.fold(history.read("x")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
}
