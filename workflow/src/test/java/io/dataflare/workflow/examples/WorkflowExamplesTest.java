package io.dataflare.workflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.Engine;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.durable.DurableWorkflows;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.WorkflowClock;
import io.dataflare.workflow.plugin.EngineTaskInvoker;
import io.dataflare.workflow.validation.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance examples of {@code examples/workflows/}, run as {@code dataflare workflow run FILE --input @FILE}
 * runs them: validated with their plugin files, executed durably on a file store with the real clock, their
 * JavaScript and Python steps run by the script hosts. Each test asserts the status and output the example's
 * documentation promises, and the saga's compensations in the order of its history.
 */
class WorkflowExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "workflows");
    static final ObjectMapper JSON = new ObjectMapper();

    static Engine engine;
    static EngineTaskInvoker tasks;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = Engine.builder().build();
        tasks = new EngineTaskInvoker(engine, EXAMPLES);
    }

    @AfterAll
    static void stop() {
        tasks.close();
        engine.close();
    }

    record Run(ExecutionResult result, List<HistoryEvent> history) {
        JsonNode output() {
            return result.output();
        }

        /**
         * A task's failure other than a call the script host stopped at its time limit (a cold context on a loaded
         * machine), which the examples retry on States.Timeout.
         */
        static boolean failedByItsPlugin(HistoryEvent e) {
            return e.type() == EventType.TaskFailed && !"States.Timeout".equals(e.error());
        }

        /** The states whose task succeeded, in the order their results were recorded. */
        List<String> succeededTasks() {
            List<String> out = new ArrayList<>();
            for (HistoryEvent e : history) if (e.type() == EventType.TaskSucceeded) out.add(e.state());
            return out;
        }
    }

    private Run run(String definition, String inputFile) throws Exception {
        return run(definition, JSON.readTree(Files.readString(EXAMPLES.resolve(inputFile))));
    }

    private Run run(String definition, JsonNode input) throws Exception {
        StateMachine m = Definitions.load(EXAMPLES.resolve(definition), tasks);
        try (StateStore store = new FileStateStore(dir.resolve("state"))) {
            DurableWorkflows workflows = new DurableWorkflows(store, tasks, WorkflowClock.SYSTEM);
            ExecutionResult r = workflows.run(m, "example", input);
            return new Run(r, workflows.history().read("example"));
        }
    }

    @Test
    void stepFlowFullAsShippedFailsWithValueTooLow() throws Exception {
        Run r = run("stepflow-full.asl.json", "stepflow-full.input.json");
        assertThat(r.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.result().error()).isEqualTo("ValueTooLow");
        assertThat(r.result().cause()).isEqualTo("The sum was less than or equal to 3");
        assertThat(r.succeededTasks()).containsExactly("PrepareTask");
    }

    @Test
    void stepFlowFullWithXTwoRunsTheMapAndTheParallel() throws Exception {
        Run r = run("stepflow-full.asl.json", "stepflow-full.pass.input.json");
        assertThat(r.result().status()).as(r.result().cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = r.output();
        assertThat(out.at("/prepared/sum").asInt()).isEqualTo(4);
        assertThat(out.at("/prepared/logged").asBoolean()).isTrue();
        assertThat(out.get("mapped")).isEqualTo(JSON.readTree("""
                        [{"index": 0, "value": "a", "result": {"processed": true}},
                         {"index": 1, "value": "b", "result": {"processed": true}},
                         {"index": 2, "value": "c", "result": {"processed": true}}]
                        """));
        assertThat(out.get("parallel")).isEqualTo(JSON.readTree("""
                        [{"step": "log.parallel.1", "sum": 4, "logged": true},
                         {"step": "log.parallel.2", "sum": 4, "logged": true}]
                        """));
    }

    @Test
    void etlValidatesTransformsEnrichesAndLoadsFewRecordsDirectly() throws Exception {
        Run r = run("etl-data-processing.asl.json", "etl-data-processing.input.json");
        assertThat(r.result().status()).as(r.result().cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = r.output();
        assertThat(out.get("record_count").asInt()).isEqualTo(7);
        assertThat(out.get("mode").asText()).isEqualTo("direct");
        assertThat(out.get("invalid"))
                .extracting(
                        n -> n.get("id").asInt() + " " + n.get("errors").get(0).asText())
                .containsExactly(
                        "4 user_id: empty",
                        "5 timestamp: not an RFC 3339 date-time: \"yesterday\"",
                        "6 amount: not a number in [0, 1000000]: 2000000");
        assertThat(out.get("error_rate").asDouble()).isEqualTo(3.0 / 7);
        JsonNode loaded = out.get("loaded");
        assertThat(loaded.get("target_table").asText()).isEqualTo("analytics.orders");
        assertThat(loaded.get("received").asInt()).isEqualTo(4);
        assertThat(loaded.get("inserted").asInt()).isEqualTo(3);
        assertThat(loaded.get("updated").asInt())
                .as("id 2 came twice: upserted")
                .isEqualTo(1);
        assertThat(out.at("/notification/body").asText())
                .isEqualTo("Processed 7 records: 4 loaded into analytics.orders (3 new, 1 updated), 3 invalid.");
        assertThat(r.succeededTasks())
                .containsExactly("extract", "validate", "transform", "enrich", "direct_process", "load");

        JsonNode direct = taskOutput(r, "direct_process").get("records");
        assertThat(direct.get(0).get("name").asText()).isEqualTo("ANN LEE");
        assertThat(direct.get(0).get("address").asText()).isEqualTo("Main St 1, Berlin, Germany");
        assertThat(direct.get(1).get("timestamp").asText())
                .as("23:30 at -02:00 is the next day in UTC")
                .isEqualTo("2026-03-02");
        assertThat(direct.get(1).get("user_segment").asText()).isEqualTo("gold");
        assertThat(direct.get(2).get("user_segment").asText())
                .as("u9 is unknown")
                .isEqualTo("new");
        assertThat(direct.get(2).get("amount_cents").asLong()).isEqualTo(99999900L);
    }

    @Test
    void etlProcessesMoreThanOneHundredRecordsInBatchesOfFifty() throws Exception {
        Run r = run("etl-data-processing.asl.json", "etl-data-processing.large.input.json");
        assertThat(r.result().status()).as(r.result().cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = r.output();
        assertThat(out.get("mode").asText()).isEqualTo("batch");
        assertThat(out.at("/loaded/received").asInt()).isEqualTo(120);
        assertThat(out.at("/loaded/inserted").asInt()).isEqualTo(120);
        assertThat(out.at("/loaded/batches").asInt()).isEqualTo(2);
        assertThat(r.succeededTasks()).filteredOn("process_batch"::equals).hasSize(3);
        long iterations = r.history().stream()
                .filter(e -> e.type() == EventType.IterationStarted)
                .count();
        assertThat(iterations).as("120 records in batches of 50").isEqualTo(3);
        JsonNode keys = out.at("/loaded/keys");
        assertThat(keys.get(0).asInt()).isEqualTo(1);
        assertThat(keys.get(119).asInt())
                .as("the batches' records in input order")
                .isEqualTo(120);
    }

    @Test
    void dataProcessingRetriesTheBusyWarehouseAndNotifies() throws Exception {
        Run r = run("data-processing.asl.json", "data-processing.input.json");
        assertThat(r.result().status()).as(r.result().cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = r.output();
        assertThat(out.at("/transform_data/data"))
                .extracting(n -> n.get("name").asText() + " " + n.get("email").asText())
                .containsExactly("ANN LEE ann.lee@example.com", "BO CHEN bo@example.com", "CY DIAZ cy@example.com");
        assertThat(out.at("/load_data/inserted").asInt()).isEqualTo(3);
        assertThat(out.at("/notify_completion/body").asText()).isEqualTo("Processed 3 records.");
        assertThat(out.at("/notify_completion/to/0").asText()).isEqualTo("data-team@example.com");
        assertThat(r.history())
                .filteredOn(e -> e.type() == EventType.RetryScheduled
                        && "load_data".equals(e.state())
                        && "WarehouseBusy".equals(e.error()))
                .as("the warehouse was busy once: one retry")
                .singleElement()
                .satisfies(e -> assertThat(e.error()).isEqualTo("WarehouseBusy"));
    }

    @Test
    void sagaBooksEverythingWhenNothingFails() throws Exception {
        Run r = run("travel-saga.asl.json", "travel-saga.input.json");
        assertThat(r.result().status()).as(r.result().cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output().at("/saga/log"))
                .extracting(JsonNode::asText)
                .containsExactly("book-hotel", "book-flight", "charge-card");
        assertThat(r.succeededTasks()).containsExactly("BookHotel", "BookFlight", "ChargeCard");
    }

    @Test
    void sagaCompensatesInReverseOrderWhenTheCardIsDeclined() throws Exception {
        Run r = run("travel-saga.asl.json", "travel-saga.declined.input.json");
        assertThat(r.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.result().error()).isEqualTo("CardDeclined");
        assertThat(r.result().cause())
                .isEqualTo("card declined: 1200 is above the limit of 500 (operations in order: "
                        + "[\"book-hotel\",\"book-flight\",\"cancel-flight\",\"cancel-hotel\"])");
        assertThat(r.succeededTasks())
                .as("each compensation once, the flight's before the hotel's")
                .containsExactly("BookHotel", "BookFlight", "CancelFlight", "CancelHotel");
        assertThat(r.history())
                .filteredOn(Run::failedByItsPlugin)
                .extracting(HistoryEvent::state)
                .containsExactly("ChargeCard");
        JsonNode cancelled = taskOutput(r, "CancelHotel");
        assertThat(cancelled.at("/flight/status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.at("/hotel/status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.at("/hotel/booking").asText()).isEqualTo("H-T2");
    }

    @Test
    void sagaCompensatesOnlyTheStepsDoneBeforeTheFailure() throws Exception {
        Run r = run("travel-saga.asl.json", JSON.readTree("""
                {"trip": {"id": "T3", "hotel": "Grand", "flight": "DF123", "flight_full": true, "price": 1, "card_limit": 5}}
                """));
        assertThat(r.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.result().error()).isEqualTo("FlightUnavailable");
        assertThat(r.succeededTasks()).containsExactly("BookHotel", "CancelHotel");
    }

    @Test
    void sagaCarriesOnPastAFailedCompensation() throws Exception {
        Run r = run("travel-saga.asl.json", JSON.readTree("""
                {"trip": {"id": "T4", "hotel": "Grand", "flight": "DF123", "price": 900, "card_limit": 5,
                          "reject_cancellations": ["flight"]}}
                """));
        assertThat(r.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(r.result().error()).isEqualTo("CardDeclined");
        assertThat(r.history())
                .filteredOn(Run::failedByItsPlugin)
                .extracting(HistoryEvent::state)
                .as("the flight's cancellation retried once, then the rollback went on")
                .containsExactly("ChargeCard", "CancelFlight", "CancelFlight");
        assertThat(r.succeededTasks()).containsExactly("BookHotel", "BookFlight", "CancelHotel");
        assertThat(r.result().cause()).endsWith("[\"book-hotel\",\"book-flight\",\"cancel-hotel\"])");
    }

    private static JsonNode taskOutput(Run r, String state) {
        return r.history().stream()
                .filter(e -> e.type() == EventType.TaskSucceeded && state.equals(e.state()))
                .reduce((a, b) -> b)
                .orElseThrow()
                .output();
    }
}
