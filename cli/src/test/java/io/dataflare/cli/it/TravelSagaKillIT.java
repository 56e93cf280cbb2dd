package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The travel saga of {@code examples/workflows} in a packaged {@code dataflare serve} (file state store), its card
 * declined, the server SIGKILLed between the two compensations and started again: the flight and the hotel are
 * cancelled once each, in that order, and the execution fails with the card's error. The window is made
 * deterministic by one change to the example: {@code CancelHotel} is an activity ({@code activity:saga-cancel-hotel})
 * that this test works, so the server is killed while the test holds the hotel's cancellation, after
 * {@code CancelFlight}'s exit is recorded; the test answers it (with what the example's {@code travel.js} would)
 * to the restarted server, by the token it took before the kill.
 */
class TravelSagaKillIT {
    private static final Path EXAMPLES = Path.of("..", "examples", "workflows");

    @TempDir
    Path dir;

    @Test
    void theFlightThenTheHotelAreCancelledOnceEachAcrossAKillBetweenTheCompensations() throws Exception {
        Files.createDirectories(dir.resolve("steps"));
        Files.copy(
                EXAMPLES.resolve("steps").resolve("travel.js"),
                dir.resolve("steps").resolve("travel.js"));
        ObjectNode saga = (ObjectNode) Distribution.JSON.readTree(
                EXAMPLES.resolve("travel-saga.asl.json").toFile());
        ObjectNode cancelHotel = (ObjectNode) saga.path("States").path("CancelHotel");
        assertThat(cancelHotel.path("Resource").asText()).isEqualTo("steps/travel.js");
        cancelHotel.put("Resource", "activity:saga-cancel-hotel");
        String input = Files.readString(EXAMPLES.resolve("travel-saga.declined.input.json"));

        try (WorkflowServer server = new WorkflowServer(dir)) {
            server.start("1");
            server.register("travel", saga.toString());
            server.startExecution("travel", "trip-2", input);

            // the hotel's cancellation comes to this test's worker: CancelFlight has ended, CancelHotel not
            WorkflowServer.Response task = server.post(
                    "/api/activities/saga-cancel-hotel/poll", "{\"worker\": \"hotel\", \"wait_seconds\": 60}");
            assertThat(task.status()).as(task.body()).isEqualTo(200);
            JsonNode before = server.history("trip-2");
            assertThat(events(before, "StateExited", "CancelFlight")).isEqualTo(1);
            assertThat(events(before, "StateExited", "CancelHotel")).isZero();
            assertThat(events(before, "TaskSucceeded", "CancelHotel")).isZero();
            JsonNode hotelInput = task.json().get("input");
            assertThat(hotelInput.path("saga").path("log"))
                    .isEqualTo(Distribution.JSON.readTree("[\"book-hotel\", \"book-flight\", \"cancel-flight\"]"));
            server.kill();

            server.start("2");
            String token = task.json().get("task_token").asText();
            WorkflowServer.Response answered = server.post(
                    "/api/activities/tasks/" + token + "/success",
                    cancelled(hotelInput).toString());
            assertThat(answered.status()).as(answered.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !server.getJson("/api/executions/trip-2")
                            .get("status")
                            .asText()
                            .equals("RUNNING"));

            JsonNode execution = server.getJson("/api/executions/trip-2");
            assertThat(execution.get("status").asText()).isEqualTo("FAILED");
            assertThat(execution.get("error").asText()).isEqualTo("CardDeclined");
            assertThat(execution.get("cause").asText())
                    .isEqualTo("card declined: 1200 is above the limit of 500 (operations in order:"
                            + " [\"book-hotel\",\"book-flight\",\"cancel-flight\",\"cancel-hotel\"])");
            JsonNode history = server.history("trip-2");
            // (a JavaScript step's attempt may time out on a cold context and be retried: count what succeeded)
            for (String state : new String[] {"BookHotel", "BookFlight", "ChargeCard", "CancelFlight", "CancelHotel"})
                assertThat(events(history, "StateEntered", state))
                        .as("%s entered", state)
                        .isEqualTo(1);
            assertThat(events(history, "TaskSucceeded", "CancelFlight")).isEqualTo(1);
            assertThat(events(history, "TaskScheduled", "CancelHotel")).isEqualTo(1);
            assertThat(events(history, "TaskSucceeded", "CancelHotel")).isEqualTo(1);
            assertThat(ofState(history, "CancelFlight"))
                    .as("CancelFlight's events after the restart are those before it")
                    .isEqualTo(ofState(before, "CancelFlight"));
            assertThat(sequence(history, "StateExited", "CancelFlight"))
                    .isLessThan(sequence(history, "StateEntered", "CancelHotel"));
            // the answer was taken once: the same token again is refused
            assertThat(server.post("/api/activities/tasks/" + token + "/success", "{}")
                            .status())
                    .isEqualTo(409);
        }
    }

    /** What the example's travel.js answers to cancel-hotel: the saga record, logged, the hotel cancelled. */
    private static ObjectNode cancelled(JsonNode input) {
        ObjectNode saga = input.get("saga").deepCopy();
        ((ArrayNode) saga.get("log")).add("cancel-hotel");
        ((ObjectNode) saga.get("hotel")).put("status", "cancelled");
        return saga;
    }

    private static int events(JsonNode history, String type, String state) {
        int n = 0;
        for (JsonNode e : history)
            if (e.get("type").asText().equals(type)
                    && state.equals(e.path("state").asText())) n++;
        return n;
    }

    private static int ofState(JsonNode history, String state) {
        int n = 0;
        for (JsonNode e : history) if (state.equals(e.path("state").asText())) n++;
        return n;
    }

    private static long sequence(JsonNode history, String type, String state) {
        for (JsonNode e : history)
            if (e.get("type").asText().equals(type)
                    && state.equals(e.path("state").asText()))
                return e.get("sequence").asLong();
        throw new AssertionError("no " + type + " of " + state);
    }
}
