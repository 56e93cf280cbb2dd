package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expense approval: up to 1,000 the manager approves; above, the manager and finance both must. */
class ExpenseApprovalTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String EXPENSE = """
            {"StartAt": "HowMuch", "States": {
              "HowMuch": {"Type": "Choice", "Default": "OneApproval",
                          "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "TwoApprovals"}]},
              "TwoApprovals": {"Type": "Task", "Resource": "approval.waitForTaskToken",
                               "Parameters": {"approvers": ["manager", "finance"], "rule": "all",
                                              "amount.$": "$.amount", "due_seconds": 86400,
                                              "on_timeout.$": "$.on_timeout"},
                               "ResultPath": "$.approval", "Next": "Reimburse", "Catch": [
                                 {"ErrorEquals": ["ApprovalRejected"], "ResultPath": "$.error", "Next": "Rejected"},
                                 {"ErrorEquals": ["ApprovalEscalated"], "ResultPath": "$.error", "Next": "Escalated"}]},
              "OneApproval": {"Type": "Task", "Resource": "approval.waitForTaskToken",
                              "Parameters": {"approvers": ["manager"], "amount.$": "$.amount"},
                              "ResultPath": "$.approval", "Next": "Reimburse"},
              "Reimburse": {"Type": "Pass", "End": true},
              "Rejected": {"Type": "Fail", "Error": "Rejected", "CausePath": "$.error.Cause"},
              "Escalated": {"Type": "Fail", "Error": "Escalated", "CausePath": "$.error.Cause"}}}
            """;

    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(START);
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    StateStore store;
    StoreHistory history;
    Approvals approvals;
    StateMachine machine;

    @BeforeEach
    void open() throws Exception {
        store = new FileStateStore(dir.resolve("state"));
        TaskQueue q = new TaskQueue(store, now::get);
        history = new StoreHistory(store, 100, q);
        approvals = new Approvals(q);
        machine = Definitions.parse(
                EXPENSE, "expense.asl.json", false, new ActivityTaskInvoker(q, null, TestTasks.CHECK));
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        store.close();
    }

    Future<ExecutionResult> submit(String name, String input) throws Exception {
        JsonNode in = MAPPER.readTree(input);
        DurableWorkflows w = new DurableWorkflows(
                history,
                new ActivityTaskInvoker(history.queue(), new TestTasks(), TestTasks.CHECK),
                new VirtualClock(START));
        return pool.submit(() -> w.run(machine, name, in));
    }

    Approvals.Approval awaitPending(String execution) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (Approvals.Approval a : approvals.pending()) if (a.execution().equals(execution)) return a;
            Thread.sleep(25);
        }
        throw new AssertionError("no approval of " + execution + " is pending");
    }

    @Test
    void fiveThousandNeedsTwoApprovals() throws Exception {
        Future<ExecutionResult> run = submit("exp-5000", "{\"amount\": 5000, \"on_timeout\": \"reject\"}");
        Approvals.Approval a = awaitPending("exp-5000");
        assertThat(a.approvers()).containsExactly("manager", "finance");
        assertThat(a.rule()).isEqualTo(Approvals.Rule.ALL);
        assertThat(a.due()).isEqualTo(START.plusSeconds(86400));
        assertThat(a.input().get("amount").asInt()).isEqualTo(5000);

        approvals.decide(a.id(), "manager", true, "ok");
        Thread.sleep(300);
        assertThat(run).as("one approval of two").isNotDone();
        assertThat(awaitPending("exp-5000").decisions()).hasSize(1);
        assertThatThrownBy(() -> approvals.decide(a.id(), "manager", true, "again"))
                .hasMessageContaining("has decided on");
        assertThatThrownBy(() -> approvals.decide(a.id(), "intern", true, ""))
                .hasMessageContaining("'intern' is not an approver");

        approvals.decide(a.id(), "finance", true, "within budget");
        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().at("/approval/approved").asBoolean()).isTrue();
        assertThat(r.output().at("/approval/decisions").findValuesAsText("approver"))
                .isEqualTo(List.of("manager", "finance"));
        assertThat(approvals.pending()).isEmpty();
        assertThatThrownBy(() -> approvals.decide(a.id(), "finance", true, ""))
                .isInstanceOf(Approvals.ApprovalException.class);
        // ids that are not base64 or decode to no possible task id are not found, not an internal error
        for (String id : List.of("x".repeat(300), "!!", ""))
            assertThatThrownBy(() -> approvals.decide(id, "finance", true, ""))
                    .isInstanceOfSatisfying(
                            Approvals.ApprovalException.class,
                            e -> assertThat(e.notFound()).isTrue());
    }

    @Test
    void aSmallAmountNeedsTheManagerOnly() throws Exception {
        Future<ExecutionResult> run = submit("exp-200", "{\"amount\": 200}");
        Approvals.Approval a = awaitPending("exp-200");
        assertThat(a.approvers()).containsExactly("manager");
        assertThat(a.rule()).isEqualTo(Approvals.Rule.ANY);
        assertThat(a.due()).isNull();
        approvals.decide(a.id(), "manager", true, null);
        assertThat(run.get().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void oneRejectionRejects() throws Exception {
        Future<ExecutionResult> run = submit("exp-r", "{\"amount\": 5000, \"on_timeout\": \"reject\"}");
        Approvals.Approval a = awaitPending("exp-r");
        approvals.decide(a.id(), "manager", true, "");
        approvals.decide(a.id(), "finance", false, "over budget");
        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.error()).isEqualTo("Rejected");
        assertThat(r.cause()).isEqualTo("rejected by finance: over budget");
    }

    @Test
    void pastItsDueDateTheTimeoutActionIsTaken() throws Exception {
        Future<ExecutionResult> escalated = submit("exp-esc", "{\"amount\": 5000, \"on_timeout\": \"escalate\"}");
        awaitPending("exp-esc");
        now.set(START.plusSeconds(86401));
        ExecutionResult r = escalated.get();
        assertThat(r.error()).isEqualTo("Escalated");
        assertThat(r.cause()).contains("nobody decided by");

        Future<ExecutionResult> approved = submit("exp-ok", "{\"amount\": 5000, \"on_timeout\": \"approve\"}");
        ExecutionResult ok = approved.get();
        assertThat(ok.status()).as("due already: approved at once").isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ok.output().at("/approval/timed_out").asBoolean()).isTrue();
    }

    @Test
    void anInvalidApprovalFailsItsTask() throws Exception {
        Future<ExecutionResult> run = submit("exp-bad", "{\"amount\": 5000, \"on_timeout\": \"shrug\"}");
        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.error()).isEqualTo("States.Runtime");
        assertThat(r.cause()).contains("'on_timeout' must be one of [approve, reject, escalate]");
    }
}
