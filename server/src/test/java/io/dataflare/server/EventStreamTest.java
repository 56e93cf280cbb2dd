package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSE subscriptions: output records (filtered), state changes and progress, and the end of the stream. */
class EventStreamTest {
    @TempDir
    Path dir;

    record Event(String type, JsonNode data) {}

    @Test
    void aSubscriberReceivesTheOutputItsFilterMatchesAndStateChanges() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            s.create("ev", ApiRoutesTest.PUSH_TO_MEMORY);
            s.post("/api/tasks/ev/start");
            List<Event> all = new CopyOnWriteArrayList<>();
            List<Event> filtered = new CopyOnWriteArrayList<>();
            List<Event> noRecords = new CopyOnWriteArrayList<>();
            Thread t1 = subscribe(s, "/api/tasks/ev/events", all);
            Thread t2 = subscribe(s, "/api/tasks/ev/events?filter=country:DE", filtered);
            Thread t3 = subscribe(s, "/api/tasks/ev/events?records=false", noRecords);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> all.size() >= 1 && filtered.size() >= 1 && noRecords.size() >= 1); // first state
            assertThat(all.get(0).type()).isEqualTo("state");
            assertThat(all.get(0).data().get("state").asText()).isEqualTo("RUNNING");

            s.post(
                    "/api/tasks/ev/records",
                    "application/json",
                    "[{\"id\": 1, \"country\": \"DE\"}, {\"id\": 2, \"country\": \"FR\"}, {\"id\": 3, \"country\": \"DE\"}]");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> records(all).size() == 3 && records(filtered).size() == 2);
            assertThat(records(filtered))
                    .extracting(e -> e.data().at("/record/id").asInt())
                    .containsExactly(1, 3);
            assertThat(records(all).get(1).data().get("offset").asInt()).isEqualTo(1);
            assertThat(records(all).get(1).data().get("sink").asText()).isEqualTo("out");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> all.stream().anyMatch(e -> e.type().equals("progress")));
            // without records: the task's own events only (progress after the records were written)
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> noRecords.stream()
                            .anyMatch(e -> e.type().equals("progress")
                                    && e.data().at("/stats/records_out").asInt() == 3));
            assertThat(records(noRecords)).isEmpty();
            assertThat(all.stream()
                            .filter(e -> e.type().equals("progress"))
                            .findFirst()
                            .orElseThrow()
                            .data()
                            .at("/stats/records_in")
                            .isNumber())
                    .isTrue();

            s.post("/api/tasks/ev/pause");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> all.stream()
                            .anyMatch(e -> e.type().equals("state")
                                    && e.data().path("to").asText().equals("PAUSED")));
            s.post("/api/tasks/ev/stop");
            s.delete("/api/tasks/ev");
            t1.join(10_000);
            t2.join(10_000);
            t3.join(10_000);
            assertThat(t1.isAlive()).isFalse();
            assertThat(all.get(all.size() - 1).type()).isEqualTo("end");
        }
    }

    @Test
    void eachSavedCheckpointIsAnEvent() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            s.create("cp", """
                    sources: { in: { use: push } }
                    sinks: { out: { use: memory, from: in } }
                    runtime: { checkpoint_interval_ms: 100, max_wait_ms: 5 }
                    """);
            List<Event> events = new CopyOnWriteArrayList<>();
            Thread t = subscribe(s, "/api/tasks/cp/events?records=false", events);
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty()); // subscribed: the current state
            s.post("/api/tasks/cp/start");
            s.post("/api/tasks/cp/records", "application/json", "[{\"id\": 1}]");
            // periodic checkpoints while it runs, ids going up
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> checkpoints(events).size() >= 2);
            List<Event> taken = checkpoints(events);
            assertThat(taken.get(0).data().get("task").asText()).isEqualTo("cp");
            assertThat(taken.get(1).data().get("id").asLong())
                    .isGreaterThan(taken.get(0).data().get("id").asLong());
            assertThat(java.time.Instant.parse(taken.get(0).data().get("at").asText()))
                    .isBeforeOrEqualTo(java.time.Instant.now());
            s.post("/api/tasks/cp/stop");
            s.delete("/api/tasks/cp");
            t.join(10_000);
        }
    }

    private static List<Event> checkpoints(List<Event> events) {
        return events.stream().filter(e -> e.type().equals("checkpoint")).toList();
    }

    private static List<Event> records(List<Event> events) {
        return events.stream().filter(e -> e.type().equals("record")).toList();
    }

    /** Reads the stream on a thread until it ends, collecting its events. */
    static Thread subscribe(TestServer s, String path, List<Event> into) {
        return Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> r = s.http.send(
                        s.request(path)
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String type = null;
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("event: ")) type = line.substring(7);
                        else if (line.startsWith("data: "))
                            into.add(new Event(type, TestServer.JSON.readTree(line.substring(6))));
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
