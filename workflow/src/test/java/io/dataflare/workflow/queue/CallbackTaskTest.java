package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.KillableExecution;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.queue.TaskQueue.Answer.Kind;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .waitForTaskToken} tasks: the execution waits durably until the token is answered. */
class CallbackTaskTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    static String definition(String resource) {
        return """
                {"StartAt": "Approve", "States": {
                  "Approve": {"Type": "Task", "Resource": "%s",
                              "Parameters": {"token.$": "$$.Task.Token", "amount.$": "$.amount"},
                              "ResultPath": "$.decision",
                              "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.error", "Next": "No"}],
                              "End": true},
                  "No": {"Type": "Fail", "Error": "Rejected", "CausePath": "$.error.Cause"}}}
                """.formatted(resource);
    }

    @TempDir
    Path dir;

    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    KillableExecution start(StoreHistory h, TestTasks tasks, String resource, String name) throws Exception {
        StateMachine m = Definitions.parse(
                definition(resource), "cb.asl.json", false, new ActivityTaskInvoker(h.queue(), tasks, TestTasks.CHECK));
        DurableWorkflows w = new DurableWorkflows(
                h, new ActivityTaskInvoker(h.queue(), tasks, TestTasks.CHECK), new VirtualClock(START));
        JsonNode in = MAPPER.readTree("{\"amount\": 5000}");
        return KillableExecution.start(pool, () -> w.run(m, name, in));
    }

    static QueuedTask awaitCallback(TaskQueue q) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (QueuedTask t : q.tasks()) if (t.queue().equals(TaskQueue.CALLBACKS)) return t;
            Thread.sleep(25);
        }
        throw new AssertionError("no callback task was enqueued");
    }

    @Test
    void theExecutionWaitsForTheAnswerToItsToken() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            Future<ExecutionResult> run = start(h, new TestTasks(), "callback.waitForTaskToken", "e1");
            QueuedTask t = awaitCallback(h.queue());
            String token = h.queue().callbackToken(t.id());
            assertThat(t.input().get("token").asText()).isEqualTo(token);
            assertThat(t.status()).isEqualTo(QueuedTask.Status.LEASED);
            assertThat(h.queue().claim(TaskQueue.CALLBACKS, "someone"))
                    .as("never polled")
                    .isEmpty();
            Thread.sleep(200);
            assertThat(run).isNotDone();

            assertThat(h.queue()
                            .succeed(token, MAPPER.readTree("{\"approved\": true}"))
                            .kind())
                    .isEqualTo(Kind.DONE);
            ExecutionResult r = run.get();
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output().path("decision")).isEqualTo(MAPPER.readTree("{\"approved\": true}"));
            assertThat(h.queue().succeed(token, MAPPER.readTree("{}")).kind()).isEqualTo(Kind.STALE);
            assertThat(h.queue().tasks()).isEmpty();
        }
    }

    @Test
    void aPluginGetsTheTokenAndAFailureAnswerIsTheTasksError() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            TestTasks tasks = new TestTasks();
            Future<ExecutionResult> run = start(h, tasks, "test:echo.waitForTaskToken", "e2");
            QueuedTask t = awaitCallback(h.queue());
            String token = h.queue().callbackToken(t.id());
            for (int i = 0; i < 200 && tasks.calls.isEmpty(); i++) Thread.sleep(25);
            assertThat(tasks.calls).hasSize(1);
            assertThat(tasks.calls.get(0).resource()).isEqualTo("test:echo");
            assertThat(tasks.calls.get(0).input().get("token").asText()).isEqualTo(token);

            assertThat(h.queue().fail(token, "Rejected", "over budget").kind()).isEqualTo(Kind.DONE);
            ExecutionResult r = run.get();
            assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(r.cause()).isEqualTo("over budget");
        }
    }

    @Test
    void theTokenOutlivesARestartAndItsAnswerIsRecordedOnce() throws Exception {
        String token;
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            KillableExecution run = start(h, new TestTasks(), "callback.waitForTaskToken", "e3");
            token = h.queue().callbackToken(awaitCallback(h.queue()).id());
            run.kill();
        }
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            TaskQueue q = new TaskQueue(store, InstantSource.system());
            StoreHistory h = new StoreHistory(store, 100, q);
            assertThat(q.callbackToken(awaitCallback(q).id())).isEqualTo(token);
            Future<ExecutionResult> run = start(h, new TestTasks(), "callback.waitForTaskToken", "e3");
            assertThat(q.succeed(token, MAPPER.readTree("{\"approved\": 1}")).kind())
                    .isEqualTo(Kind.DONE);
            ExecutionResult r = run.get();
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(h.read("e3").stream().filter(e -> e.type() == EventType.TaskScheduled))
                    .hasSize(1);
            assertThat(h.read("e3").stream()
                            .filter(e -> e.type() == EventType.TaskSucceeded)
                            .map(HistoryEvent::output))
                    .containsExactly(MAPPER.readTree("{\"approved\": 1}"));
        }
    }

    @Test
    void withoutADurableQueueTheTaskFailsWithStatesRuntime() throws Exception {
        StateMachine m = Definitions.parse(
                definition("callback.waitForTaskToken"),
                "cb.asl.json",
                false,
                r -> r.equals(ActivityTaskInvoker.CALLBACK) ? null : "no");
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            ExecutionResult r = new DurableWorkflows(store, new TestTasks(), new VirtualClock(START))
                    .run(m, "e4", MAPPER.readTree("{\"amount\": 1}"));
            assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(r.error()).isEqualTo("States.Runtime");
            assertThat(r.cause()).contains("needs a durable task queue");
        }
    }
}
