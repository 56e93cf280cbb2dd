package io.dataflare.workflow.signal;

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
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.queue.ActivityTaskInvoker;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code "Resource": "signal:NAME"}: a Task that takes the execution's next signal NAME, stored durably. */
@Timeout(60)
class SignalTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String DEFINITION = """
            {"StartAt": "First", "States": {
              "First": {"Type": "Task", "Resource": "signal:approve", "ResultPath": "$.first", "Next": "Second"},
              "Second": {"Type": "Task", "Resource": "signal:approve", "ResultPath": "$.second",
                         "TimeoutSeconds": %d,
                         "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Late"}],
                         "End": true},
              "Late": {"Type": "Pass", "End": true}}}
            """;

    @TempDir
    Path dir;

    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static ActivityTaskInvoker tasks(StoreHistory h) {
        return new ActivityTaskInvoker(h.queue(), new TestTasks(), TestTasks.CHECK);
    }

    KillableExecution start(StoreHistory h, String name, int timeout) throws Exception {
        ActivityTaskInvoker tasks = tasks(h);
        StateMachine m = Definitions.parse(DEFINITION.formatted(timeout), "signals.asl.json", false, tasks);
        DurableWorkflows w = new DurableWorkflows(h, tasks, new VirtualClock(START));
        return KillableExecution.start(pool, () -> w.run(m, name, MAPPER.createObjectNode()));
    }

    static void awaitTaskStarted(StoreHistory h, String name, String state) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            if (h.read(name).stream().anyMatch(e -> e.type() == EventType.TaskStarted && state.equals(e.state())))
                return;
            Thread.sleep(10);
        }
        throw new AssertionError("state " + state + " of " + name + " never started its task");
    }

    static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void aSignalSentBeforeTheWaitIsKeptAndEachSignalIsTakenOnceInOrder() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            Signals signals = tasks(h).signals();
            // both arrive before the execution exists: both are kept, in order
            assertThat(signals.send("e1", "approve", json("{\"by\": \"ann\"}"), START))
                    .isEqualTo(1);
            assertThat(signals.send("e1", "approve", json("{\"by\": \"bob\"}"), START))
                    .isEqualTo(2);
            signals.send("e1", "other", json("{\"by\": \"eve\"}"), START);
            ExecutionResult r = start(h, "e1", 30).get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output()).isEqualTo(json("{\"first\": {\"by\": \"ann\"}, \"second\": {\"by\": \"bob\"}}"));
            assertThat(signals.pending("e1", "approve")).isZero();
            assertThat(signals.pending("e1", "other"))
                    .as("another signal's name is not taken")
                    .isEqualTo(1);
        }
    }

    @Test
    void aSignalSentWhileTheExecutionWaitsEndsTheWait() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            Signals signals = tasks(h).signals();
            Future<ExecutionResult> run = start(h, "e2", 30);
            awaitTaskStarted(h, "e2", "First");
            assertThat(run).isNotDone();
            signals.send("e2", "approve", json("{\"n\": 1}"), START);
            awaitTaskStarted(h, "e2", "Second");
            signals.send("e2", "approve", json("{\"n\": 2}"), START);
            ExecutionResult r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.output()).isEqualTo(json("{\"first\": {\"n\": 1}, \"second\": {\"n\": 2}}"));
        }
    }

    @Test
    void aWaitWithoutSignalTimesOutAfterTimeoutSeconds() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            tasks(h).signals().send("e3", "approve", json("{\"n\": 1}"), START);
            ExecutionResult r = start(h, "e3", 1).get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output().path("first")).isEqualTo(json("{\"n\": 1}"));
            assertThat(r.output().path("timeout").path("Error").asText()).isEqualTo("States.Timeout");
        }
    }

    @Test
    void signalsAndAWaitInFlightSurviveARestart() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            KillableExecution run = start(h, "e4", 30);
            awaitTaskStarted(h, "e4", "First");
            tasks(h).signals().send("e4", "approve", json("{\"n\": 1}"), START);
            awaitTaskStarted(h, "e4", "Second");
            // the process dies while the second task waits; its signal comes while it is down
            run.kill();
            tasks(h).signals().send("e4", "approve", json("{\"n\": 2}"), START);
        }
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            assertThat(h.unfinished()).containsExactly("e4");
            ExecutionResult r = start(h, "e4", 30).get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(r.output()).isEqualTo(json("{\"first\": {\"n\": 1}, \"second\": {\"n\": 2}}"));
            assertThat(h.read("e4").stream().filter(e -> e.type() == EventType.TaskSucceeded))
                    .hasSize(2);
            assertThat(tasks(h).signals().pending("e4", "approve")).isZero();
        }
    }

    @Test
    void theSameTaskAttemptGetsTheSameSignalBackAndNoOtherTaskGetsIt() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            Signals signals = new Signals(store);
            signals.send("e5", "go", json("{\"n\": 1}"), START);
            signals.send("e5", "go", json("{\"n\": 2}"), START);
            assertThat(signals.take("e5", "go", "e5:/0/A#0")).contains(json("{\"n\": 1}"));
            assertThat(new Signals(store).take("e5", "go", "e5:/0/A#0"))
                    .as("run again after a restart")
                    .contains(json("{\"n\": 1}"));
            assertThat(signals.take("e5", "go", "e5:/1/B#0")).contains(json("{\"n\": 2}"));
            assertThat(signals.take("e5", "go", "e5:/2/C#0")).isEmpty();
            signals.delete("e5");
            assertThat(signals.take("e5", "go", "e5:/3/D#0")).isEmpty();
            assertThat(store.list(Signals.TAKEN)).isEmpty();
        }
    }

    @Test
    void aBadSignalNameIsAValidationProblem() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            StoreHistory h = new StoreHistory(store);
            assertThatThrownBy(() -> Definitions.parse(
                            "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Task\","
                                    + " \"Resource\": \"signal:no way\", \"End\": true}}}",
                            "bad.json",
                            false,
                            tasks(h)))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining("signal name 'no way'");
        }
    }
}
