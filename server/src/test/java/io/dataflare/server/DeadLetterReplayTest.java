package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/tasks/{id}/dead-letters/replay}: a task's dead letters, kept by its memory dead-letter sink, put
 * back into the running task once the downstream they failed on is back.
 */
class DeadLetterReplayTest {
    static final String VIEWER_TOKEN = "viewer-token-0123456789";

    /** Whether the enrichment service the {@code enrich} processor calls is reachable. */
    static final AtomicBoolean SERVICE_UP = new AtomicBoolean();

    /** {@code enrich}: fails every record while the service is down. */
    static final class Enrich implements ProcessorFactory {
        @Override
        public String name() {
            return "enrich";
        }

        @Override
        public Processor create(PluginContext context) {
            return batch -> {
                RecordBatch.Builder out = RecordBatch.builder(batch.size());
                for (Record r : batch) {
                    if (SERVICE_UP.get())
                        out.add(r.toBuilder().set("enriched", true).build());
                    else out.reject(r, "enrichment service unavailable");
                }
                return out.build();
            };
        }
    }

    static final String PIPELINE = """
            sources: { in: { use: push } }
            processors: { enrich: { use: enrich, from: in } }
            sinks: { out: { use: memory, from: enrich } }
            policies: { errors: { on_error: dead-letter, dead_letter: { use: memory } } }
            runtime: { max_wait_ms: 5 }
            """;

    @TempDir
    Path dir;

    private TestServer s;

    @BeforeEach
    void start() {
        SERVICE_UP.set(false);
        AuthSettings auth = new AuthSettings(
                List.of(new NamedToken("grafana", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                null,
                null,
                Map.of());
        s = new TestServer(
                new InProcessPlugins().add(new Enrich()),
                dir.resolve("state"),
                ServerConfig.defaults().auth(auth));
    }

    @AfterEach
    void close() {
        if (s != null) s.close();
    }

    @Test
    void deadLettersReplayedAfterTheServiceIsBackReachTheSinkAndLeaveTheList() {
        s.create("orders", PIPELINE);
        s.post("/api/tasks/orders/start");
        s.post("/api/tasks/orders/records", "text/csv", "id\n1\n2\n3\n4\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("orders").size() == 4);
        JsonNode page = s.get("/api/tasks/orders/output?sink=dead_letter").json();
        assertThat(page.at("/records/0/error").asText()).isEqualTo("enrichment service unavailable");
        assertThat(ids(page.get("offsets"))).containsExactly(0L, 1L, 2L, 3L);

        // still down: replaying two of them fails them again, with the new failure listed; nothing is lost
        TestServer.Response again =
                s.post("/api/tasks/orders/dead-letters/replay", "application/json", "{\"offsets\": [0, 2]}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("replayed").asInt()).isEqualTo(2);
        assertThat(again.json().at("/stages/enrich").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> s.get("/api/tasks/orders")
                                .json()
                                .at("/stats/dead_lettered")
                                .asInt()
                        == 6);
        assertThat(ids(s.get("/api/tasks/orders/output?sink=dead_letter").json().get("offsets")))
                .as("0 and 2 left the list; their second failures came in at 4 and 5")
                .containsExactly(1L, 3L, 4L, 5L);
        assertThat(deadLetters("orders"))
                .extracting(d -> d.at("/record/id").asText())
                .containsExactlyInAnyOrder("1", "2", "3", "4");

        // an offset replayed already holds no dead letter any more
        TestServer.Response gone =
                s.post("/api/tasks/orders/dead-letters/replay", "application/json", "{\"offsets\": [0]}");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("message").asText()).contains("no dead letter at offset(s) [0]");

        // the service is back: every dead letter goes through, reaches the sink, and the list is empty
        SERVICE_UP.set(true);
        TestServer.Response all = s.post("/api/tasks/orders/dead-letters/replay");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("replayed").asInt()).isEqualTo(4);
        assertThat(all.json().get("remaining").asInt()).isZero();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> s.get("/api/tasks/orders/output?sink=out")
                                .json()
                                .get("total")
                                .asInt()
                        == 4);
        JsonNode out = s.get("/api/tasks/orders/output?sink=out").json().get("records");
        List<String> written = new ArrayList<>();
        for (JsonNode r : out) {
            assertThat(r.get("enriched").asBoolean()).isTrue();
            written.add(r.get("id").asText());
        }
        assertThat(written).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(deadLetters("orders")).isEmpty();
        JsonNode stats = s.post("/api/tasks/orders/stop").json().get("stats");
        assertThat(stats.get("records_out").asInt()).isEqualTo(4);
    }

    @Test
    void refusedForAViewerForAStoppedTaskForAnUnknownTaskAndWithoutAMemoryDeadLetterSink() throws Exception {
        s.create("orders", PIPELINE);
        s.post("/api/tasks/orders/start");
        s.post("/api/tasks/orders/records", "text/csv", "id\n1\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("orders").size() == 1);

        TestServer.Response viewer =
                s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks/orders/dead-letters/replay"))
                        .header("Authorization", "Bearer " + VIEWER_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(deadLetters("orders"))
                .as("a refused replay leaves the list as it was")
                .hasSize(1);

        assertThat(s.post("/api/tasks/orders/dead-letters/replay", "application/json", "{\"offsets\": \"all\"}")
                        .status())
                .isEqualTo(400);
        assertThat(s.post("/api/tasks/nope/dead-letters/replay").status()).isEqualTo(404);

        s.post("/api/tasks/orders/stop");
        TestServer.Response stopped = s.post("/api/tasks/orders/dead-letters/replay");
        assertThat(stopped.status()).isEqualTo(409);
        assertThat(stopped.json().get("message").asText()).contains("is STOPPED");
        assertThat(deadLetters("orders")).hasSize(1);

        s.create("plain", """
                sources: { in: { use: push } }
                processors: { enrich: { use: enrich, from: in } }
                sinks: { out: { use: memory, from: enrich } }
                policies: { errors: { on_error: skip } }
                """);
        s.post("/api/tasks/plain/start");
        TestServer.Response none = s.post("/api/tasks/plain/dead-letters/replay");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.json().get("message").asText()).contains("does not keep its dead letters");
    }

    private List<JsonNode> deadLetters(String task) {
        List<JsonNode> out = new ArrayList<>();
        s.get("/api/tasks/" + task + "/output?sink=dead_letter")
                .json()
                .get("records")
                .forEach(out::add);
        return out;
    }

    private static List<Long> ids(JsonNode offsets) {
        List<Long> out = new ArrayList<>();
        offsets.forEach(o -> out.add(o.asLong()));
        return out;
    }
}
