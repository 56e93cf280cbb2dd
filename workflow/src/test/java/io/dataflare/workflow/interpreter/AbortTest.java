package io.dataflare.workflow.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.validation.Definitions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping a running execution, and a machine's TimeoutSeconds on the real clock. */
@Timeout(30)
class AbortTest {
    @Test
    void aStoppedExecutionEndsAbortedWithoutWaitingOut() throws Exception {
        StateMachine m = Definitions.parse(
                "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 600, \"End\": true}}}",
                "wait.json",
                false,
                TestTasks.CHECK);
        InMemoryHistory history = new InMemoryHistory();
        WorkflowEngine engine = new WorkflowEngine(new TestTasks(), WorkflowClock.SYSTEM, history);
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.run(m, "long", JsonNodeFactory.instance.objectNode());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (history.read("long").stream().noneMatch(e -> e.type() == EventType.WaitStarted)) Thread.sleep(10);
        assertThat(engine.stop("long", "operator said so")).isTrue();
        ExecutionResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(r.cause()).isEqualTo("operator said so");
        HistoryEvent last = history.read("long").getLast();
        assertThat(last.type()).isEqualTo(EventType.ExecutionAborted);
        assertThat(ExecutionState.fold(history.read("long")).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(engine.stop("long", "again")).as("no longer running").isFalse();
    }

    @Test
    void aTaskThatOutlastsTheMachineTimeoutEndsTheExecutionTimedOutAtTheNextStep() throws Exception {
        StateMachine m = Definitions.parse("""
                {"StartAt": "T", "TimeoutSeconds": 1, "States": {
                  "T": {"Type": "Task", "Resource": "test:sleep:1500", "Next": "P"},
                  "P": {"Type": "Pass", "End": true}}}
                """, "timeout.json", false, TestTasks.CHECK);
        WorkflowEngine engine = new WorkflowEngine(new TestTasks(), WorkflowClock.SYSTEM, new InMemoryHistory());
        ExecutionResult r = engine.run(m, "slow", JsonNodeFactory.instance.objectNode());
        assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(r.error()).isEqualTo("States.Timeout");
    }
}
