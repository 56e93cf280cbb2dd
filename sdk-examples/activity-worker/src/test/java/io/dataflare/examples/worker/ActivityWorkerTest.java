package io.dataflare.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.examples.worker.ActivityWorker.Outcome;
import io.dataflare.server.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker library against a real task server: results, failures by name, heartbeats that keep a lease. */
class ActivityWorkerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String WORKFLOW = """
            {"id": "quote", "definition": {
              "StartAt": "Price",
              "States": {
                "Price": {"Type": "Task", "Resource": "activity:price", "HeartbeatSeconds": 1, "ResultPath": "$.price",
                          "Catch": [{"ErrorEquals": ["NoPrice"], "ResultPath": "$.error", "Next": "Unpriced"}],
                          "End": true},
                "Unpriced": {"Type": "Fail", "Error": "Unpriced", "CausePath": "$.error.Cause"}
              }
            }}
            """;

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(new InProcessPlugins(), dir.resolve("state"));
        assertThat(s.post("/api/workflows", "application/json", WORKFLOW).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    static ActivityWorker worker(ActivityWorker.Handler handler) {
        return new ActivityWorker(
                URI.create(s.url()), TestServer.TOKEN, "price", "test-worker", handler, Duration.ofMillis(300), 20);
    }

    static JsonNode run(String name, String input) throws InterruptedException {
        assertThat(s.post(
                                "/api/workflows/quote/executions",
                                "application/json",
                                "{\"name\": \"" + name + "\", \"input\": " + input + "}")
                        .status())
                .isEqualTo(201);
        return null;
    }

    static JsonNode awaitEnd(String name) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode e = s.get("/api/executions/" + name).json();
            String st = e.path("status").asText();
            if (!st.equals("RUNNING") && !st.equals("NOT_STARTED")) return e;
            if (System.nanoTime() > until) throw new AssertionError("execution " + name + " did not end: " + e);
            Thread.sleep(50);
        }
    }

    @Test
    void theHandlersResultIsTheTasksResult() throws Exception {
        run("q1", "{\"item\": \"book\", \"qty\": 3}");
        try (ActivityWorker w =
                worker(in -> JSON.createObjectNode().put("total", in.get("qty").asInt() * 12))) {
            assertThat(w.runOnce()).isEqualTo(Outcome.SUCCEEDED);
        }
        JsonNode end = awaitEnd("q1");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/price/total").asInt()).isEqualTo(36);
    }

    @Test
    void anActivityFailureFailsTheTaskByItsName() throws Exception {
        run("q2", "{\"item\": \"unicorn\", \"qty\": 1}");
        try (ActivityWorker w = worker(in -> {
            throw new ActivityWorker.ActivityFailure(
                    "NoPrice", "no price for " + in.get("item").asText());
        })) {
            assertThat(w.runOnce()).isEqualTo(Outcome.FAILED);
        }
        JsonNode end = awaitEnd("q2");
        assertThat(end.get("error").asText()).isEqualTo("Unpriced");
        assertThat(end.get("cause").asText()).isEqualTo("no price for unicorn");
    }

    @Test
    void heartbeatsKeepTheLeaseOfAHandlerThatRunsLongerThanHeartbeatSeconds() throws Exception {
        run("q3", "{\"item\": \"slow\", \"qty\": 2}");
        try (ActivityWorker w = worker(in -> {
            Thread.sleep(2500); // HeartbeatSeconds is 1: without heartbeats the lease would run out
            return JSON.createObjectNode().put("total", 1);
        })) {
            assertThat(w.runOnce()).isEqualTo(Outcome.SUCCEEDED);
        }
        JsonNode end = awaitEnd("q3");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/price/total").asInt()).isEqualTo(1);
    }

    @Test
    void anAnswerTheServerCouldNotTakeIsSentAgainWhenItIsReachableAgain() throws Exception {
        assertThat(s.post("/api/workflows", "application/json", """
                        {"id": "offline-quote", "definition": {"StartAt": "Price", "States": {
                          "Price": {"Type": "Task", "Resource": "activity:price-offline", "End": true}}}}
                        """).status()).isEqualTo(201);
        assertThat(s.post(
                                "/api/workflows/offline-quote/executions",
                                "application/json",
                                "{\"name\": \"q4\", \"input\": {\"qty\": 5}}")
                        .status())
                .isEqualTo(201);
        try (Forwarder network = new Forwarder(URI.create(s.url()).getPort());
                ActivityWorker w = new ActivityWorker(
                        URI.create("http://127.0.0.1:" + network.port()),
                        TestServer.TOKEN,
                        "price-offline",
                        "offline-worker",
                        in -> {
                            network.down(); // the network goes while the handler runs...
                            Thread.ofVirtual().start(() -> {
                                try {
                                    Thread.sleep(1500);
                                    network.up(); // ...and comes back
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                            return JSON.createObjectNode()
                                    .put("total", in.get("qty").asInt());
                        },
                        Duration.ofMillis(300),
                        20)) {
            assertThat(w.runOnce()).isEqualTo(Outcome.SUCCEEDED);
        }
        JsonNode end = awaitEnd("q4");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/total").asInt()).isEqualTo(5);
    }
}
