package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.KillableExecution;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.queue.TaskQueue.Answer.Kind;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Duration;
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

/** {@code activity:NAME} tasks run by workers through the durable queue, on a file store. */
class ActivityTaskTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFINITION = """
            {"StartAt": "Charge", "States": {
              "Charge": {"Type": "Task", "Resource": "activity:charge", "HeartbeatSeconds": 10,
                         "Parameters": {"amount.$": "$.amount"}, "ResultPath": "$.charge",
                         "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                         "Catch": [{"ErrorEquals": ["CardDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
                         "Next": "Done"},
              "Declined": {"Type": "Fail", "Error": "Declined", "CausePath": "$.error.Cause"},
              "Done": {"Type": "Succeed"}}}
            """;

    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(START);
    StateStore store;
    StoreHistory history;
    TaskQueue queue;
    StateMachine machine;
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void open() throws Exception {
        store = new FileStateStore(dir.resolve("state"));
        queue = new TaskQueue(store, now::get);
        history = new StoreHistory(store, 100, queue);
        machine = Definitions.parse(DEFINITION, "charge.asl.json", false, check(queue));
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        store.close();
    }

    static ActivityTaskInvoker check(TaskQueue q) {
        return new ActivityTaskInvoker(q, new TestTasks(), TestTasks.CHECK);
    }

    KillableExecution start(StoreHistory h, String name, String input) throws Exception {
        JsonNode in = MAPPER.readTree(input);
        DurableWorkflows w = new DurableWorkflows(h, check(h.queue()), new VirtualClock(START));
        return KillableExecution.start(pool, () -> w.run(machine, name, in));
    }

    TaskQueue.Lease take() throws InterruptedException {
        return queue.poll("charge", "worker-1", Duration.ofSeconds(20)).orElseThrow();
    }

    @Test
    void aWorkersResultIsTheTasksResultAndTheTaskLeavesTheQueueWithIt() throws Exception {
        Future<ExecutionResult> run = start(history, "e1", "{\"amount\": 5000}");
        TaskQueue.Lease lease = take();
        assertThat(lease.task().input()).isEqualTo(MAPPER.readTree("{\"amount\": 5000}"));
        assertThat(lease.task().execution()).isEqualTo("e1");
        assertThat(lease.task().heartbeatSeconds()).isEqualTo(10);
        assertThat(queue.succeed(lease.token(), MAPPER.readTree("{\"receipt\": \"r-1\"}"))
                        .kind())
                .isEqualTo(Kind.DONE);

        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().path("charge").path("receipt").asText()).isEqualTo("r-1");
        assertThat(queue.tasks()).isEmpty();
        assertThat(count(history.read("e1"), EventType.TaskSucceeded)).isEqualTo(1);
        // the result is taken: a repeated completion is refused and changes nothing
        assertThat(queue.succeed(lease.token(), MAPPER.readTree("{\"receipt\": \"r-2\"}"))
                        .kind())
                .isEqualTo(Kind.STALE);
        assertThat((long) history.read("e1").size())
                .isEqualTo(history.state("e1").version());
    }

    @Test
    void aLeaseThatRunsOutIsRetriedPerRetryAndTheLateWorkerIsRefused() throws Exception {
        Future<ExecutionResult> run = start(history, "e2", "{\"amount\": 10}");
        TaskQueue.Lease first = take();
        now.set(START.plusSeconds(11)); // no heartbeat within HeartbeatSeconds=10
        TaskQueue.Lease second = take();
        assertThat(second.task().attempt()).isEqualTo(1);
        assertThat(second.task().id()).isNotEqualTo(first.task().id());
        assertThat(queue.succeed(first.token(), MAPPER.readTree("{\"late\": true}"))
                        .kind())
                .isEqualTo(Kind.STALE);
        assertThat(queue.heartbeat(second.token()).kind()).isEqualTo(Kind.DONE);
        assertThat(queue.succeed(second.token(), MAPPER.readTree("{\"ok\": true}"))
                        .kind())
                .isEqualTo(Kind.DONE);

        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().path("charge")).isEqualTo(MAPPER.readTree("{\"ok\": true}"));
        List<HistoryEvent> events = history.read("e2");
        HistoryEvent failed = events.stream()
                .filter(e -> e.type() == EventType.TaskFailed)
                .findFirst()
                .orElseThrow();
        assertThat(failed.error()).isEqualTo(ErrorNames.HEARTBEAT_TIMEOUT);
        assertThat(count(events, EventType.RetryScheduled)).isEqualTo(1);
        assertThat(count(events, EventType.TaskSucceeded)).isEqualTo(1);
    }

    @Test
    void aWorkersFailureIsTheTasksErrorForCatch() throws Exception {
        Future<ExecutionResult> run = start(history, "e3", "{\"amount\": 10}");
        assertThat(queue.fail(take().token(), "CardDeclined", "insufficient funds")
                        .kind())
                .isEqualTo(Kind.DONE);
        ExecutionResult r = run.get();
        assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.error()).isEqualTo("Declined");
        assertThat(r.cause()).isEqualTo("insufficient funds");
        assertThat(queue.tasks()).isEmpty();
    }

    @Test
    void aResultThatCameWhileTheServerWasDownIsTakenOnceOnResume() throws Exception {
        KillableExecution run = start(history, "e4", "{\"amount\": 7}");
        TaskQueue.Lease lease = take();
        run.kill(); // the process stops: the execution is unfinished, its task leased
        assertThat(history.unfinished()).contains("e4");
        assertThat(queue.succeed(lease.token(), MAPPER.readTree("{\"paid\": 7}"))
                        .kind())
                .isEqualTo(Kind.DONE);

        StateStore again = new FileStateStore(dir.resolve("state"));
        try {
            StoreHistory restarted = new StoreHistory(again, 100, new TaskQueue(again, now::get));
            ExecutionResult r = start(restarted, "e4", "{}").get();
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output().path("charge")).isEqualTo(MAPPER.readTree("{\"paid\": 7}"));
            List<HistoryEvent> events = restarted.read("e4");
            assertThat(count(events, EventType.TaskScheduled)).isEqualTo(1);
            assertThat(count(events, EventType.TaskSucceeded)).isEqualTo(1);
            assertThat(restarted.queue().tasks()).isEmpty();
        } finally {
            again.close();
        }
    }

    @Test
    void aStatesPriorityAndItsWorkflowsGroupAreItsQueuedTasks() throws Exception {
        machine = Definitions.parse(
                DEFINITION.replace("\"HeartbeatSeconds\": 10,", "\"HeartbeatSeconds\": 10, \"Priority\": 7,"),
                "charge.asl.json",
                false,
                check(queue));
        history.groupTasksBy(execution -> execution.startsWith("pay-") ? "payments" : null);
        Future<ExecutionResult> run = start(history, "pay-1", "{\"amount\": 1}");
        TaskQueue.Lease lease = take();
        assertThat(lease.task().priority()).isEqualTo(7);
        assertThat(lease.task().group()).isEqualTo("payments");
        assertThat(history.read("pay-1"))
                .filteredOn(e -> e.type() == EventType.TaskScheduled)
                .extracting(HistoryEvent::priority)
                .containsExactly(7);
        queue.succeed(lease.token(), MAPPER.readTree("{}"));
        assertThat(run.get().status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        // without Priority and outside a group: priority 0, the default group
        machine = Definitions.parse(DEFINITION, "charge.asl.json", false, check(queue));
        Future<ExecutionResult> other = start(history, "e9", "{\"amount\": 1}");
        TaskQueue.Lease plain = take();
        assertThat(plain.task().priority()).isZero();
        assertThat(plain.task().group()).isEqualTo(QueuedTask.DEFAULT_GROUP);
        queue.succeed(plain.token(), MAPPER.readTree("{}"));
        assertThat(other.get().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void heartbeatSecondsAndActivityNamesAreValidated() {
        String plugin = """
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "test:echo", "HeartbeatSeconds": 5,
                 "End": true}}}""";
        assertThatThrownBy(() -> Definitions.parse(plugin, "p.asl.json", false, check(queue)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("HeartbeatSeconds applies to activity tasks");
        String tooLong = """
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "activity:a", "HeartbeatSeconds": 5,
                 "TimeoutSeconds": 5, "End": true}}}""";
        assertThatThrownBy(() -> Definitions.parse(tooLong, "t.asl.json", false, check(queue)))
                .hasMessageContaining("HeartbeatSeconds must be smaller than TimeoutSeconds");
        String badName = """
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "activity:no/slash", "End": true}}}""";
        assertThatThrownBy(() -> Definitions.parse(badName, "n.asl.json", false, check(queue)))
                .hasMessageContaining("activity name 'no/slash'");
    }

    private static long count(List<HistoryEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }
}
