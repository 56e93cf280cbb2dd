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

/**
 * The travel saga: book a hotel, book a flight, pay; the payment fails, so the flight and then the hotel are
 * cancelled, once each, also when the process dies between (or during) the compensations.
 */
class SagaTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    static String travel(String cancelFlight) {
        return """
                {"StartAt": "BookHotel", "States": {
                  "BookHotel": {"Type": "Task", "Resource": "test:echo", "Parameters": {"booking": "H-1"},
                                "ResultPath": "$.hotel", "Compensate": "CancelHotel", "Next": "BookFlight"},
                  "BookFlight": {"Type": "Task", "Resource": "test:echo", "Parameters": {"booking": "F-1"},
                                 "ResultPath": "$.flight", "Compensate": "CancelFlight", "Next": "Pay"},
                  "Pay": {"Type": "Task", "Resource": "test:fail:PaymentDeclined:always:card refused", "End": true},
                  "CancelFlight": {"Type": "Task", "Resource": "%s",
                                   "Parameters": {"cancel.$": "$.flight.booking"}, "End": true},
                  "CancelHotel": {"Type": "Task", "Resource": "test:echo",
                                  "Parameters": {"cancel.$": "$.hotel.booking"}, "End": true}}}
                """.formatted(cancelFlight);
    }

    @TempDir
    Path dir;

    static StateMachine machine(String cancelFlight) throws Exception {
        return Definitions.parse(travel(cancelFlight), "travel.asl.json", false, TestTasks.CHECK);
    }

    static ExecutionResult run(StoreHistory h, StateMachine m, String name, TestTasks tasks) throws Exception {
        return new DurableWorkflows(h, tasks, new VirtualClock(START)).run(m, name, MAPPER.readTree("{}"));
    }

    static List<String> called(TestTasks tasks) {
        return tasks.calls.stream().map(TaskRequest::state).toList();
    }

    @Test
    void aFailedPaymentCancelsTheFlightThenTheHotelOnceEach() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            TestTasks tasks = new TestTasks();
            ExecutionResult r = run(new StoreHistory(store), machine("test:echo"), "trip", tasks);
            assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(r.error()).isEqualTo("PaymentDeclined");
            assertThat(r.cause())
                    .isEqualTo("card refused (compensated: CancelFlight of BookFlight, CancelHotel of BookHotel)");
            assertThat(called(tasks)).containsExactly("BookHotel", "BookFlight", "Pay", "CancelFlight", "CancelHotel");
            assertThat(tasks.calls.get(3).input()).isEqualTo(MAPPER.readTree("{\"cancel\": \"F-1\"}"));
            assertThat(tasks.calls.get(4).input()).isEqualTo(MAPPER.readTree("{\"cancel\": \"H-1\"}"));
        }
    }

    @Test
    void aFailedCompensationIsReportedAndTheOthersStillRun() throws Exception {
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            TestTasks tasks = new TestTasks();
            ExecutionResult r =
                    run(new StoreHistory(store), machine("test:fail:AirlineDown:always:no answer"), "trip", tasks);
            assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(r.error()).isEqualTo("PaymentDeclined");
            assertThat(r.cause())
                    .isEqualTo("card refused (compensated: CancelHotel of BookHotel; CancelFlight of BookFlight"
                            + " failed: AirlineDown: no answer)");
            assertThat(called(tasks)).containsExactly("BookHotel", "BookFlight", "Pay", "CancelFlight", "CancelHotel");
        }
    }

    @Test
    void aCrashAnywhereInTheRollbackResumesWithoutCompensatingTwice() throws Exception {
        StateMachine m = machine("test:echo");
        List<HistoryEvent> events;
        ExecutionResult expected;
        try (StateStore store = new FileStateStore(dir.resolve("whole"))) {
            StoreHistory h = new StoreHistory(store);
            expected = run(h, m, "whole", new TestTasks());
            events = h.read("whole");
        }
        int firstCompensation = 0;
        while (!events.get(firstCompensation).scope().equals("/compensation")) firstCompensation++;
        int flightCancelled = firstCompensation;
        while (!(events.get(flightCancelled).type() == EventType.StateExited
                && "CancelFlight".equals(events.get(flightCancelled).state()))) flightCancelled++;

        for (int cut = firstCompensation - 1; cut < events.size(); cut++) {
            String name = "cut" + cut;
            try (StateStore store = new FileStateStore(dir.resolve(name))) {
                StoreHistory writer = new StoreHistory(store);
                List<HistoryEvent> past = events.subList(0, cut).stream()
                        .map(e -> renamed(e, name))
                        .toList();
                for (HistoryEvent e : past) writer.append(name, e.sequence() - 1, e);
            }
            // the process died after event `cut`: another one resumes the execution from the store
            try (StateStore store = new FileStateStore(dir.resolve(name))) {
                StoreHistory h = new StoreHistory(store);
                TestTasks tasks = new TestTasks();
                ExecutionResult r = run(h, m, name, tasks);
                assertThat(r.status()).as("cut after %d", cut).isEqualTo(expected.status());
                assertThat(r.error()).isEqualTo(expected.error());
                assertThat(r.cause()).isEqualTo(expected.cause());
                List<HistoryEvent> all = h.read(name);
                for (String cancel : List.of("CancelFlight", "CancelHotel"))
                    assertThat(all.stream()
                                    .filter(e -> e.type() == EventType.TaskSucceeded && cancel.equals(e.state())))
                            .as("%s recorded once (cut %d)", cancel, cut)
                            .hasSize(1);
                if (cut > flightCancelled) // between the compensations: the flight's is not run again
                assertThat(called(tasks)).as("cut %d", cut).isSubsetOf("CancelHotel");
                else assertThat(called(tasks)).as("cut %d", cut).contains("CancelHotel");
                assertThat(called(tasks)).doesNotContain("BookHotel", "BookFlight");
            }
        }
    }

    @Test
    void compensationsAreValidated() {
        String nested = """
                {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Pass", "Compensate": "U", "Next": "U"},
                                              "U": {"Type": "Pass", "End": true}}}]}}}""";
        assertThatThrownBy(() -> Definitions.parse(nested, "n.asl.json", false, TestTasks.CHECK))
                .hasMessageContaining("Compensate is supported on top-level states only");
        String notEnd = """
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Compensate": "U", "Next": "B"},
                  "U": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}""";
        assertThatThrownBy(() -> Definitions.parse(notEnd, "e.asl.json", false, TestTasks.CHECK))
                .hasMessageContaining("its compensation 'U' must be a Task or Pass state with End: true");
        String unknown = """
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Compensate": "Nope", "End": true}}}""";
        assertThatThrownBy(() -> Definitions.parse(unknown, "u.asl.json", false, TestTasks.CHECK))
                .hasMessageContaining("goes to 'Nope', which is not a state here");
    }

    /** {@code e} as the same event of an execution named {@code name}. */
    private static HistoryEvent renamed(HistoryEvent e, String name) {
        HistoryEvent r = e.type() == EventType.ExecutionStarted ? e.withExecution(name) : e;
        return r.taskKey() == null ? r : r.withTask(r.resource(), r.taskKey().replaceFirst("^whole:", name + ":"));
    }
}
