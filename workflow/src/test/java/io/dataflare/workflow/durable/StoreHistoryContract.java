package io.dataflare.workflow.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionHistory.VersionConflictException;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.validation.Definitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every state store must give a durable history: the same tests on the file, SQLite and PostgreSQL stores. */
abstract class StoreHistoryContract {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFINITION = """
            {"StartAt": "Work", "States": {
              "Work": {"Type": "Parallel", "ResultPath": "$.work", "Next": "Done", "Branches": [
                {"StartAt": "Flaky", "States": {
                  "Flaky": {"Type": "Task", "Resource": "test:fail:Flaky:2", "Parameters": {"n.$": "$.n"},
                            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5}], "Next": "Pause"},
                  "Pause": {"Type": "Wait", "Seconds": 30, "End": true}}},
                {"StartAt": "Each", "States": {
                  "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                           "ItemProcessor": {"StartAt": "Echo", "States": {
                             "Echo": {"Type": "Task", "Resource": "test:echo", "End": true}}}}}}]},
              "Done": {"Type": "Succeed"}}}
            """;
    static StateMachine machine;
    static JsonNode input;

    StateStore store;

    /** A new, empty store. */
    abstract StateStore open() throws Exception;

    /** The same store opened again, as another process would. */
    abstract StateStore reopen() throws Exception;

    @BeforeAll
    static void load() throws Exception {
        machine = Definitions.parse(DEFINITION, "durable.asl.json", false, TestTasks.CHECK);
        input = MAPPER.readTree("{\"n\": 7, \"items\": [1, 2, 3]}");
    }

    @BeforeEach
    void create() throws Exception {
        store = open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ExecutionResult runOn(StoreHistory history, String name) throws InterruptedException {
        return new DurableWorkflows(history, new TestTasks(), new VirtualClock(START)).run(machine, name, input);
    }

    @Test
    void theStoredHistoryFoldsToTheStoredSnapshotAndRegistry() throws Exception {
        StoreHistory history = new StoreHistory(store, 5);
        ExecutionResult r = runOn(history, "e1");
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().path("work").get(1)).isEqualTo(MAPPER.readTree("[1, 2, 3]"));

        StoreHistory other = new StoreHistory(reopen(), 5);
        List<HistoryEvent> events = other.read("e1");
        assertThat(events).hasSizeGreaterThan(20);
        for (int i = 0; i < events.size(); i++)
            assertThat(events.get(i).sequence()).isEqualTo(i + 1);
        ExecutionState folded = ExecutionState.fold(events);
        assertThat(other.snapshot("e1")).contains(folded);
        assertThat(other.state("e1")).isEqualTo(folded);
        assertThat(folded.result()).isEqualTo(r);
        assertThat(other.statuses()).isEqualTo(Map.of("e1", ExecutionStatus.SUCCEEDED));
        assertThat(other.timers()).isEmpty();
        assertThat(other.pendingTasks()).isEmpty();
        other.store().close();
    }

    /**
     * An execution with hundreds of entries (a Map over 100 items, all started before any ends) is snapshotted every
     * quarter of its entries rather than every {@code snapshotEvery} events: a snapshot writes the whole state, so
     * a fixed cadence made such executions quadratic. What a read gives is unchanged: the stored history's fold.
     */
    @Test
    void aLargeStateIsSnapshottedLessOftenAndReadsBackAsItsFold() {
        List<HistoryEvent> events = new ArrayList<>();
        events.add(HistoryEvent.of(EventType.ExecutionStarted, "", null).withExecution("wide"));
        events.add(HistoryEvent.of(EventType.StateEntered, "", "Each"));
        for (int i = 0; i < 100; i++) {
            String scope = "/2.0." + i;
            events.add(
                    HistoryEvent.of(EventType.IterationStarted, scope, "Each").withIndex(i));
            events.add(HistoryEvent.of(EventType.StateEntered, scope, "Echo"));
            events.add(HistoryEvent.of(EventType.TaskScheduled, scope, "Echo")
                    .withTask("test:echo", "wide-" + i)
                    .withAttempt(0));
        }
        for (int i = 0; i < 100; i++) {
            String scope = "/2.0." + i;
            events.add(HistoryEvent.of(EventType.TaskSucceeded, scope, "Echo").withTask("test:echo", "wide-" + i));
            events.add(HistoryEvent.of(EventType.StateExited, scope, "Echo"));
            events.add(
                    HistoryEvent.of(EventType.IterationFinished, scope, "Each").withIndex(i));
        }
        events.add(HistoryEvent.of(EventType.StateExited, "", "Each"));
        events.add(HistoryEvent.of(EventType.ExecutionSucceeded, "", null));
        StoreHistory history = new StoreHistory(store, 5);
        java.util.Set<Long> snapshots = new java.util.TreeSet<>();
        for (int i = 0; i < events.size(); i++) {
            history.appendAll("wide", i, List.of(events.get(i).numbered(i + 1, START)));
            assertThat(history.state("wide")).isEqualTo(ExecutionState.fold(history.read("wide")));
            history.snapshot("wide").ifPresent(snap -> snapshots.add(snap.version()));
        }
        // 604 events, at most 301 entries: 26 snapshots by the quarter rule and one at the end (every 5: 120)
        assertThat(snapshots)
                .as("snapshots of %d events", events.size())
                .hasSizeBetween(2, events.size() / 5 / 3)
                .contains(5L, 10L, (long) events.size());
        assertThat(history.snapshot("wide").orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void replayIsTheLatestSnapshotPlusItsTail() throws Exception {
        StoreHistory history = new StoreHistory(store, 7);
        List<ExecutionState> live = new ArrayList<>();
        WorkflowEngine engine = new WorkflowEngine(new TestTasks(), new VirtualClock(START), history);
        engine.onEvent((e, s) -> {
            live.add(s);
            // the listener hears of events once they are stored, a step's events at a time: mid-run, the state
            // read back (snapshot + tail) is the stored history's fold, and the writer's live state after the
            // last event stored
            ExecutionState stored = ExecutionState.fold(history.read("e2"));
            assertThat(stored.version()).isGreaterThanOrEqualTo(e.sequence());
            assertThat(history.state("e2")).isEqualTo(stored);
            if (stored.version() == e.sequence()) assertThat(stored).isEqualTo(s);
            // a snapshot is taken by the append that reaches or passes each multiple of 7
            if (stored.version() >= 7 && !stored.status().finished())
                assertThat(history.snapshot("e2").orElseThrow().version())
                        .isBetween(stored.version() / 7 * 7, stored.version());
        });
        engine.run(machine, "e2", input);
        assertThat(live).hasSizeGreaterThan(14);
    }

    @Test
    void stateReadsStartFromTheLatestSnapshotAndFoldOnlyTheEventsAfterIt() throws Exception {
        InMemoryHistory recorded = new InMemoryHistory();
        new WorkflowEngine(new TestTasks(), new VirtualClock(START), recorded).run(machine, "e9", input);
        List<HistoryEvent> events = recorded.read("e9");
        StoreHistory history = new StoreHistory(store, 5);
        history.appendAll("e9", 0, events.subList(0, 10));
        history.appendAll("e9", 10, events.subList(10, 13));
        assertThat(history.snapshot("e9").orElseThrow().version())
                .as("taken by the append that reached 10")
                .isEqualTo(10);

        // a snapshot that differs from its log (its input marked) shows where a read starts from
        ObjectNode marked = (ObjectNode)
                MAPPER.readTree(store.get(StoreHistory.SNAPSHOTS, "e9").orElseThrow());
        marked.set("input", MAPPER.readTree("{\"from\": \"snapshot\"}"));
        store.put(StoreHistory.SNAPSHOTS, "e9", marked.toString());

        ExecutionState state;
        try (StateStore other = reopen()) {
            state = new StoreHistory(other).state("e9");
        }
        assertThat(state.input()).as("from the snapshot, not a fold of the log").isEqualTo(marked.get("input"));
        assertThat(state.version())
                .as("and the three events after it folded on")
                .isEqualTo(13);
        ExecutionState full = ExecutionState.fold(history.read("e9"));
        assertThat(state.activeStates()).isEqualTo(full.activeStates());
        assertThat(full.input()).isEqualTo(input);
    }

    @Test
    void aFinishedExecutionRunAgainIsAnsweredFromItsSnapshot() throws Exception {
        StoreHistory history = new StoreHistory(store);
        assertThat(runOn(history, "e10").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        ObjectNode marked = (ObjectNode)
                MAPPER.readTree(store.get(StoreHistory.SNAPSHOTS, "e10").orElseThrow());
        marked.set("output", MAPPER.readTree("{\"from\": \"snapshot\"}"));
        store.put(StoreHistory.SNAPSHOTS, "e10", marked.toString());

        TestTasks tasks = new TestTasks();
        ExecutionResult again;
        try (StateStore other = reopen()) {
            again = new DurableWorkflows(new StoreHistory(other), tasks, new VirtualClock(START))
                    .run(machine, "e10", input);
        }
        assertThat(again.output()).as("its end read from the snapshot").isEqualTo(marked.get("output"));
        assertThat(tasks.calls).isEmpty();
    }

    @Test
    void timersAndPendingTasksAreStoredWithTheEventsThatCreateThem() throws Exception {
        StoreHistory history = new StoreHistory(store);
        List<String> seen = new ArrayList<>();
        WorkflowEngine engine = new WorkflowEngine(new TestTasks(), new VirtualClock(START), history);
        engine.onEvent((e, s) -> {
            if (e.type() == EventType.WaitStarted || e.type() == EventType.RetryScheduled) {
                assertThat(history.timers()).contains(new StoreHistory.Timer("e3", e.scope(), e.fireAt()));
                seen.add(e.type().name());
            }
            if (e.type() == EventType.TaskStarted) {
                assertThat(history.pendingTasks()).containsKey(e.taskKey());
                assertThat(history.pendingTasks().get(e.taskKey()).started()).isTrue();
                seen.add("task");
            }
            if (e.type() == EventType.TaskSucceeded || e.type() == EventType.TaskFailed)
                assertThat(history.pendingTasks()).doesNotContainKey(e.taskKey());
            if (e.type() == EventType.WaitFired) assertThat(history.timers()).isEmpty();
            assertThat(history.statuses())
                    .containsEntry("e3", ExecutionState.fold(history.read("e3")).status());
        });
        engine.run(machine, "e3", input);
        assertThat(seen).contains("WaitStarted", "RetryScheduled", "task");
    }

    @Test
    void aStaleWriterIsRefusedAndStoresNothing() throws Exception {
        StoreHistory history = new StoreHistory(store);
        runOn(history, "e4");
        long last = history.read("e4").size();
        StoreHistory other = new StoreHistory(reopen());
        HistoryEvent late = HistoryEvent.of(EventType.StateEntered, "", "Work").numbered(last, START);
        assertThatThrownBy(() -> other.append("e4", last - 1, late))
                .isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("expected history version " + (last - 1) + ", found " + last);
        assertThat(other.read("e4")).hasSize((int) last);
        assertThat(other.statuses()).containsEntry("e4", ExecutionStatus.SUCCEEDED);
        other.store().close();
    }

    @Test
    void aCutHistoryResumesInAnotherProcessToTheUninterruptedOutcome() throws Exception {
        StoreHistory full = new StoreHistory(store);
        ExecutionResult expected = runOn(full, "whole");
        List<HistoryEvent> events = full.read("whole");
        for (int cut : new int[] {1, events.size() / 3, events.size() / 2, events.size() - 1}) {
            String name = "cut" + cut;
            StoreHistory writer = new StoreHistory(store, 4);
            List<HistoryEvent> past =
                    events.subList(0, cut).stream().map(e -> renamed(e, name)).toList();
            for (HistoryEvent e : past) writer.append(name, e.sequence() - 1, e);
            assertThat(writer.unfinished()).contains(name);
            StoreHistory restarted = new StoreHistory(reopen(), 4);
            DurableWorkflows workflows = new DurableWorkflows(restarted, new TestTasks(), new VirtualClock(START));
            Map<String, ExecutionResult> resumed = workflows.resumeUnfinished(n -> machine);
            ExecutionResult r = resumed.get(name);
            assertThat(r.status()).isEqualTo(expected.status());
            assertThat(r.output()).isEqualTo(expected.output());
            assertThat(restarted.read(name).subList(0, cut)).isEqualTo(past);
            assertThat(restarted.snapshot(name)).contains(ExecutionState.fold(restarted.read(name)));
            assertThat(restarted.unfinished()).isEmpty();
            restarted.store().close();
        }
    }

    /** {@code e} as the same event of an execution named {@code name}. */
    private static HistoryEvent renamed(HistoryEvent e, String name) {
        HistoryEvent r = e.type() == EventType.ExecutionStarted ? e.withExecution(name) : e;
        return r.taskKey() == null ? r : r.withTask(r.resource(), r.taskKey().replaceFirst("^whole:", name + ":"));
    }

    @Test
    void runningAFinishedExecutionAgainAnswersItsRecordedEnd() throws Exception {
        StoreHistory history = new StoreHistory(store);
        ExecutionResult first = runOn(history, "e5");
        int size = history.read("e5").size();
        TestTasks tasks = new TestTasks();
        ExecutionResult again = new DurableWorkflows(new StoreHistory(store), tasks, new VirtualClock(START))
                .run(machine, "e5", MAPPER.readTree("{\"n\": 1, \"items\": []}"));
        assertThat(again).isEqualTo(first);
        assertThat(tasks.calls).isEmpty();
        assertThat(history.read("e5")).hasSize(size);
    }
}
