package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.data.Record;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/tasks}: each task's records in, out and dead-lettered, as the console's task list shows them. */
class TaskListCountsTest {
    @Test
    void theListCountsEachTasksDeadLetters(@TempDir Path dir) {
        InProcessPlugins plugins = new InProcessPlugins().processor("picky", () -> batch -> {
            for (Record r : batch) {
                if (Boolean.TRUE.equals(r.get("fail"))) throw new IllegalStateException("refused " + r.get("n"));
            }
            return batch;
        });
        try (TestServer s = new TestServer(plugins, dir)) {
            s.create("picky", """
                    sources: { in: { use: push } }
                    processors: { p: { use: picky, from: in } }
                    sinks: { out: { use: memory, from: p } }
                    policies: { errors: { on_error: dead-letter, dead_letter: { use: memory } } }
                    runtime: { max_wait_ms: 5 }
                    """);
            s.create("idle", """
                    sources: { in: { use: push } }
                    sinks: { out: { use: memory, from: in } }
                    """);
            assertThat(s.post("/api/tasks/picky/start").status()).isEqualTo(200);
            s.post(
                    "/api/tasks/picky/records",
                    "application/json",
                    "[{\"n\": 1}, {\"n\": 2, \"fail\": true}, {\"n\": 3}, {\"n\": 4, \"fail\": true}]");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> row(s, "picky").get("dead_lettered").asLong() == 2);
            assertThat(row(s, "picky").get("records_in").asLong()).isEqualTo(4);
            assertThat(row(s, "idle").get("dead_lettered").asLong()).isZero();
        }
    }

    private static JsonNode row(TestServer s, String id) {
        for (JsonNode t : s.get("/api/tasks").json().get("tasks")) {
            if (t.get("id").asText().equals(id)) return t;
        }
        throw new AssertionError("no task " + id + " in the list");
    }
}
