package io.dataflare.workflow.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redriving a failed execution: it goes on from the state that failed, with that state's input. */
class RedriveTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    // Charge fails on its first call only: a redrive's second call succeeds
    static final String DEFINITION = """
            {"StartAt": "Prepare", "States": {
              "Prepare": {"Type": "Pass", "Result": {"amount": 12}, "ResultPath": "$.order", "Next": "Charge"},
              "Charge": {"Type": "Task", "Resource": "test:failcalls:CardDeclined:1", "ResultPath": "$.charged",
                         "Next": "Done"},
              "Done": {"Type": "Pass", "End": true}}}
            """;

    @TempDir
    Path dir;

    static StateMachine machine() throws Exception {
        return Definitions.parse(DEFINITION, "redrive.asl.json", false, TestTasks.CHECK);
    }

    @Test
    void aFailedExecutionGoesOnFromTheFailedStateWithItsInputAndSurvivesARestart() throws Exception {
        TestTasks tasks = new TestTasks();
        StateMachine m = machine();
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            DurableWorkflows w = new DurableWorkflows(store, tasks, new VirtualClock(START));
            ExecutionResult first = w.run(m, "order-1", MAPPER.readTree("{\"id\": 7}"));
            assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(first.error()).isEqualTo("CardDeclined");

            HistoryEvent redriven = w.engine().redrive(m, "order-1");
            assertThat(redriven.type()).isEqualTo(EventType.ExecutionRedriven);
            assertThat(redriven.state()).isEqualTo("Charge");
            assertThat(redriven.input()).isEqualTo(MAPPER.readTree("{\"id\": 7, \"order\": {\"amount\": 12}}"));
            assertThat(w.history().statuses().get("order-1")).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(w.history().unfinished()).containsExactly("order-1");
        }
        // the redrive is recorded: another store instance (a restarted process) carries the execution on
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            DurableWorkflows w = new DurableWorkflows(store, tasks, new VirtualClock(START));
            ExecutionResult r = w.resumeUnfinished(name -> m).get("order-1");
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output())
                    .isEqualTo(
                            MAPPER.readTree(
                                    "{\"id\": 7, \"order\": {\"amount\": 12}, \"charged\": {\"id\": 7, \"order\": {\"amount\": 12}}}"));
            List<HistoryEvent> h = w.history().read("order-1");
            assertThat(h.stream().filter(e -> e.type() == EventType.StateEntered && "Prepare".equals(e.state())))
                    .as("the states before the failed one are not run again")
                    .hasSize(1);
            assertThat(h.stream().filter(e -> e.type() == EventType.ExecutionStarted))
                    .hasSize(1);
            assertThat(h.stream().map(HistoryEvent::type))
                    .containsSubsequence(
                            EventType.ExecutionFailed,
                            EventType.ExecutionRedriven,
                            EventType.StateEntered,
                            EventType.TaskScheduled,
                            EventType.TaskSucceeded,
                            EventType.ExecutionSucceeded);
            assertThat(tasks.calls.stream().map(TaskRequest::idempotencyKey).distinct())
                    .as("the redriven attempt has a key of its own")
                    .hasSize(2);
            assertThat(w.history().snapshot("order-1").orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void onlyFailedTimedOutOrAbortedExecutionsAreRedriven() throws Exception {
        StateMachine ok = Definitions.parse(
                "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
                "ok.json",
                false,
                TestTasks.CHECK);
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            DurableWorkflows w = new DurableWorkflows(store, new TestTasks(), new VirtualClock(START));
            assertThat(w.run(ok, "fine", MAPPER.createObjectNode()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThatThrownBy(() -> w.engine().redrive(ok, "fine"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SUCCEEDED");
            assertThatThrownBy(() -> w.engine().redrive(ok, "never-started"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NOT_STARTED");
            assertThat(w.history().read("fine")).noneMatch(e -> e.type() == EventType.ExecutionRedriven);
        }
    }

    @Test
    void aSecondFailureCanBeRedrivenAgain() throws Exception {
        StateMachine m = Definitions.parse(
                DEFINITION.replace("failcalls:CardDeclined:1", "failcalls:CardDeclined:2"),
                "twice.json",
                false,
                TestTasks.CHECK);
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            DurableWorkflows w = new DurableWorkflows(store, new TestTasks(), new VirtualClock(START));
            assertThat(w.run(m, "o", MAPPER.createObjectNode()).status()).isEqualTo(ExecutionStatus.FAILED);
            w.engine().redrive(m, "o");
            assertThat(w.run(m, "o", null).status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(w.engine().redrive(m, "o").state()).isEqualTo("Charge");
            assertThat(w.run(m, "o", null).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(w.history().read("o").stream().filter(e -> e.type() == EventType.ExecutionRedriven))
                    .hasSize(2);
        }
    }
}
