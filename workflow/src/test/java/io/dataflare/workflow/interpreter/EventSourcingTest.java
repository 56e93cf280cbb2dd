package io.dataflare.workflow.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.validation.Definitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The interpreter's history: serialisable, folded into the live state, and enough to resume from anywhere. */
class EventSourcingTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String DEFINITION = """
            {"StartAt": "Prep", "TimeoutSeconds": 100000, "States": {
              "Prep": {"Type": "Pass", "Parameters": {"items.$": "$.items", "n.$": "States.ArrayLength($.items)"}, "Next": "Work"},
              "Work": {"Type": "Parallel", "ResultPath": "$.work", "Next": "Check", "Branches": [
                {"StartAt": "Flaky", "States": {
                  "Flaky": {"Type": "Task", "Resource": "test:fail:Flaky:2", "Parameters": {"n.$": "$.n"},
                            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5, "JitterStrategy": "FULL"}], "Next": "Pause"},
                  "Pause": {"Type": "Wait", "Seconds": 30, "End": true}}},
                {"StartAt": "Each", "States": {
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": true,
                           "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
                           "ItemProcessor": {"StartAt": "Echo", "States": {
                             "Echo": {"Type": "Task", "Resource": "test:echo", "Next": "Broken"},
                             "Broken": {"Type": "Task", "Resource": "test:fail:Oops:always", "End": true,
                                        "Catch": [{"ErrorEquals": ["Oops"], "ResultPath": "$.caught", "Next": "Fine"}]},
                             "Fine": {"Type": "Pass", "End": true}}}}}}]},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 3, "Next": "Done"}], "Default": "Bad"},
              "Bad": {"Type": "Fail", "Error": "Wrong"},
              "Done": {"Type": "Succeed", "OutputPath": "$.work"}}}
            """;
    static final ObjectMapper MAPPER = new ObjectMapper();
    static StateMachine machine;
    static JsonNode input;

    @BeforeAll
    static void load() throws Exception {
        machine = Definitions.parse(DEFINITION, "history.asl.json", false, TestTasks.CHECK);
        input = MAPPER.readTree("{\"items\": [\"a\", \"b\", \"c\"]}");
    }

    record Run(ExecutionResult result, List<HistoryEvent> history, List<ExecutionState> liveStates, TestTasks tasks) {}

    static Run run(ExecutionHistory history, Instant clockStart) throws InterruptedException {
        TestTasks tasks = new TestTasks();
        WorkflowEngine engine = new WorkflowEngine(tasks, new VirtualClock(clockStart), history);
        List<ExecutionState> live = new ArrayList<>();
        engine.onEvent((e, s) -> live.add(s));
        ExecutionResult r = engine.run(machine, "exec-1", input);
        return new Run(r, history.read("exec-1"), live, tasks);
    }

    @Test
    void aRunRecordsEveryKindOfEventWithGaplessSequenceNumbers() throws Exception {
        Run run = run(new InMemoryHistory(), START);
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.result().output()).isEqualTo(MAPPER.readTree("""
                        [{"n": 3}, [{"i": 0, "v": "a", "caught": {"Error": "Oops", "Cause": "attempt 0 failed"}},
                                    {"i": 1, "v": "b", "caught": {"Error": "Oops", "Cause": "attempt 0 failed"}},
                                    {"i": 2, "v": "c", "caught": {"Error": "Oops", "Cause": "attempt 0 failed"}}]]"""));
        Set<EventType> seen = run.history().stream().map(HistoryEvent::type).collect(Collectors.toSet());
        assertThat(seen)
                .containsAll(EnumSet.complementOf(EnumSet.of(
                        EventType.TaskTimedOut,
                        EventType.ExecutionFailed,
                        EventType.ExecutionAborted,
                        EventType.ExecutionTimedOut,
                        // a redrive follows a failed run: RedriveTest records it
                        EventType.ExecutionRedriven)));
        for (int i = 0; i < run.history().size(); i++) {
            assertThat(run.history().get(i).sequence()).isEqualTo(i + 1);
        }
    }

    @Test
    void everyEventSurvivesAJsonRoundTrip() throws Exception {
        Run run = run(new InMemoryHistory(), START);
        for (HistoryEvent e : run.history()) {
            String json = HistoryJson.write(e);
            HistoryEvent back = HistoryJson.read(json);
            assertThat(HistoryJson.write(back)).isEqualTo(json);
            assertThat(back.type()).isEqualTo(e.type());
            assertThat(back.timestamp()).isEqualTo(e.timestamp());
            assertThat(back.fireAt()).isEqualTo(e.fireAt());
        }
        assertThat(HistoryJson.write(run.history().get(0)))
                .contains("\"type\":\"ExecutionStarted\"", "\"timestamp\":\"2026-01-01T00:00:00Z\"");
    }

    @Test
    void foldingTheRecordedHistoryGivesTheLiveStateAfterEveryEvent() throws Exception {
        Run run = run(new InMemoryHistory(), START);
        assertThat(run.liveStates()).hasSize(run.history().size());
        for (int i = 0; i < run.history().size(); i++) {
            assertThat(ExecutionState.fold(run.history().subList(0, i + 1)))
                    .as("state after event %d", i + 1)
                    .isEqualTo(run.liveStates().get(i));
        }
        ExecutionState end = ExecutionState.fold(run.history());
        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(end.output()).isEqualTo(run.result().output());
        assertThat(end.tasks()).isEmpty();
        assertThat(end.timers()).isEmpty();
    }

    @Test
    void theFoldShowsInFlightTasksAndPendingTimers() throws Exception {
        Run run = run(new InMemoryHistory(), START);
        List<HistoryEvent> h = run.history();
        int started = indexOf(h, EventType.TaskStarted, 0);
        ExecutionState s = ExecutionState.fold(h.subList(0, started + 1));
        assertThat(s.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(s.tasks()).containsKey(h.get(started).taskKey());
        assertThat(s.tasks().get(h.get(started).taskKey()).started()).isTrue();
        int wait = indexOf(h, EventType.WaitStarted, 0);
        assertThat(ExecutionState.fold(h.subList(0, wait + 1)).timers())
                .containsValue(h.get(wait).fireAt());
    }

    @Test
    void resumingFromAHistoryCutAfterAnyEventFinishesWithTheSameOutput() throws Exception {
        Run full = run(new InMemoryHistory(), START);
        List<HistoryEvent> h = full.history();
        for (int cut = 0; cut < h.size(); cut++) {
            List<HistoryEvent> prefix = h.subList(0, cut);
            Instant restart = cut == 0 ? START : h.get(cut - 1).timestamp();
            Run resumed = run(InMemoryHistory.of("exec-1", prefix), restart);
            assertThat(resumed.result().status()).as("cut after %d events", cut).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(resumed.result().output())
                    .as("cut after %d events", cut)
                    .isEqualTo(full.result().output());
            assertThat(resumed.history().subList(0, cut)).as("the past is kept").isEqualTo(prefix);
            assertThat(ExecutionState.fold(resumed.history()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            HistoryEvent last = cut == 0 ? null : h.get(cut - 1);
            if (last != null && last.type() == EventType.TaskStarted && isUnfinished(prefix, last.taskKey())) {
                // the task in flight is run again, under the same idempotency key
                assertThat(resumed.tasks().calls)
                        .anySatisfy(c -> assertThat(c.idempotencyKey()).isEqualTo(last.taskKey()));
            }
            if (last != null && last.type() == EventType.WaitStarted) {
                // the Wait ends when it was due, not a full wait after the restart
                HistoryEvent fired = resumed.history().stream()
                        .filter(e ->
                                e.type() == EventType.WaitFired && e.scope().equals(last.scope()))
                        .findFirst()
                        .orElseThrow();
                assertThat(fired.timestamp()).isEqualTo(last.fireAt());
            }
        }
    }

    @Test
    void tasksFinishedBeforeTheCutAreNotRunAgain() throws Exception {
        Run full = run(new InMemoryHistory(), START);
        List<HistoryEvent> h = full.history();
        int cut = indexOf(h, EventType.WaitStarted, 0) + 1;
        Run resumed = run(
                InMemoryHistory.of("exec-1", h.subList(0, cut)), h.get(cut - 1).timestamp());
        Set<String> doneBefore = h.subList(0, cut).stream()
                .filter(e -> e.type() == EventType.TaskSucceeded || e.type() == EventType.TaskFailed)
                .map(HistoryEvent::taskKey)
                .collect(Collectors.toSet());
        assertThat(doneBefore).isNotEmpty();
        assertThat(resumed.tasks().calls).noneMatch(c -> doneBefore.contains(c.idempotencyKey()));
    }

    @Test
    void aFinishedExecutionIsAnsweredFromItsHistory() throws Exception {
        InMemoryHistory history = new InMemoryHistory();
        Run first = run(history, START);
        Run again = run(history, START);
        assertThat(again.result()).isEqualTo(first.result());
        assertThat(again.tasks().calls).isEmpty();
        assertThat(again.history()).hasSize(first.history().size());
    }

    @Test
    void appendsCheckTheVersion() {
        InMemoryHistory history = new InMemoryHistory();
        HistoryEvent e = HistoryEvent.of(EventType.ExecutionStarted, "", null).numbered(1, START);
        history.append("x", 0, e);
        assertThatThrownBy(() -> history.append("x", 0, e.numbered(2, START)))
                .isInstanceOf(ExecutionHistory.VersionConflictException.class)
                .hasMessageContaining("expected history version 0, found 1");
    }

    private static int indexOf(List<HistoryEvent> h, EventType type, int from) {
        for (int i = from; i < h.size(); i++) if (h.get(i).type() == type) return i;
        throw new AssertionError("no " + type);
    }

    private static boolean isUnfinished(List<HistoryEvent> prefix, String key) {
        return prefix.stream()
                .noneMatch(e -> key.equals(e.taskKey())
                        && (e.type() == EventType.TaskSucceeded
                                || e.type() == EventType.TaskFailed
                                || e.type() == EventType.TaskTimedOut));
    }

    @Test
    void aTimerEndsWithTheNextEventInItsScopeOrBelowButNotInASiblingScope() {
        assertThat(ExecutionState.scopeAndAbove("/3.0.1/5.0.2")).containsExactly("/3.0.1/5.0.2", "/3.0.1", "");
        assertThat(ExecutionState.scopeAndAbove("")).containsExactly("");
        Instant at = START.plusSeconds(30);
        ExecutionState s = ExecutionState.initial()
                .apply(event(
                        1, HistoryEvent.of(EventType.ExecutionStarted, "", null).withExecution("t")))
                .apply(event(
                        2,
                        HistoryEvent.of(EventType.WaitStarted, "/3.0.1", "Pause")
                                .withFireAt(at)))
                .apply(event(
                        3, HistoryEvent.of(EventType.WaitStarted, "", "Top").withFireAt(at)));
        assertThat(s.timers()).containsOnlyKeys("/3.0.1", "");
        // "/3.0.10" is a sibling of "/3.0.1", not below it: only the top-level timer ends
        ExecutionState sibling = s.apply(event(4, HistoryEvent.of(EventType.StateEntered, "/3.0.10", "Other")));
        assertThat(sibling.timers()).containsOnlyKeys("/3.0.1");
        ExecutionState below = sibling.apply(event(5, HistoryEvent.of(EventType.StateEntered, "/3.0.1/2.0.0", "In")));
        assertThat(below.timers()).isEmpty();
        // the states before are unchanged: each event gives a new state
        assertThat(s.timers()).containsOnlyKeys("/3.0.1", "");
        assertThat(sibling.activeStates()).containsOnlyKeys("/3.0.10");
        assertThat(below.activeStates()).containsOnlyKeys("/3.0.10", "/3.0.1/2.0.0");
    }

    @Test
    void aStateReadBackFromJsonFoldsOnAsTheLiveOne() throws Exception {
        Run run = run(new InMemoryHistory(), START);
        List<HistoryEvent> events = run.history();
        int half = events.size() / 2;
        ExecutionState live = ExecutionState.fold(events.subList(0, half));
        // as snapshots are stored: a null field left out (written as null, a JsonNode field reads back as NullNode)
        ObjectMapper json = new ObjectMapper()
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .registerModule(new JavaTimeModule());
        ExecutionState read = json.readValue(json.writeValueAsString(live), ExecutionState.class);
        assertThat(read).isEqualTo(live);
        for (HistoryEvent e : events.subList(half, events.size())) {
            live = live.apply(e);
            read = read.apply(e);
        }
        assertThat(read).isEqualTo(live).isEqualTo(ExecutionState.fold(events));
    }

    private static HistoryEvent event(long seq, HistoryEvent e) {
        return e.numbered(seq, START);
    }
}
