package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.data.Record;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped and started again over the same state store comes back with the same tasks in the same
 * states; the running one resumes from its checkpoint (every record once in the end), the paused one keeps the
 * records it had queued.
 */
class RestartTest {
    private static final int COUNT = 20_000;

    @TempDir
    Path dir;

    @Test
    void aRestartedServerHasTheSameTasksInTheSameStatesAndResumes() throws Exception {
        InProcessPlugins plugins = new InProcessPlugins().processor("slow", () -> batch -> {
            Thread.sleep(5);
            return batch;
        });
        try (TestServer a = new TestServer(plugins, dir)) {
            a.create("gen", """
                    sources: { in: { use: seq, with: { count: %d, chunk: 100 } } }
                    processors: { p: { use: slow, from: in } }
                    sinks: { out: { use: collect, from: p, with: { name: gen } } }
                    runtime: { batch_size: 100, max_wait_ms: 5, checkpoint_interval_ms: 100 }
                    """.formatted(COUNT));
            a.create("paused", ApiRoutesTest.PUSH_TO_MEMORY);
            a.create("stopped", ApiRoutesTest.PUSH_TO_MEMORY);
            a.create("done", """
                    sources: { in: { use: seq, with: { count: 10 } } }
                    sinks: { out: { use: collect, from: in, with: { name: done } } }
                    """);
            a.create("ready", ApiRoutesTest.PUSH_TO_MEMORY);
            a.post("/api/tasks/gen/start");
            a.post("/api/tasks/paused/start");
            a.post(
                    "/api/tasks/paused/records",
                    "application/json",
                    "[{\"n\": 1}, {\"n\": 2}, {\"n\": 3}, {\"n\": 4}, {\"n\": 5}]");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> a.get("/api/tasks/paused/output")
                                    .json()
                                    .get("total")
                                    .asInt()
                            == 5);
            a.post("/api/tasks/paused/pause");
            Thread.sleep(200); // a poll already waiting when the task paused may still take records: let it end
            assertThat(a.post("/api/tasks/paused/records", "application/json", "[{\"n\": 6}, {\"n\": 7}, {\"n\": 8}]")
                            .status())
                    .isEqualTo(202);
            a.post("/api/tasks/stopped/start");
            a.post("/api/tasks/stopped/stop");
            a.post("/api/tasks/done/start");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.state("done").equals("COMPLETED"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> plugins.collected("gen").size() > 2_000);
        }
        int before = plugins.collected("gen").size();
        assertThat(before).as("gen was stopped mid-way").isLessThan(COUNT);

        try (TestServer b = new TestServer(plugins, dir)) {
            assertThat(b.state("paused")).isEqualTo("PAUSED");
            assertThat(b.state("stopped")).isEqualTo("STOPPED");
            assertThat(b.state("done")).isEqualTo("COMPLETED");
            assertThat(b.state("ready")).isEqualTo("READY");
            assertThat(b.state("gen")).isIn("RUNNING", "COMPLETED");
            assertThat(b.server.tasks().get("gen").run().resumedFrom())
                    .as("resumed from its checkpoint")
                    .isNotNull();
            JsonNode queued = b.get("/api/tasks/paused").json().get("inputs").get(0);
            assertThat(queued.get("queued").asInt())
                    .as("records queued while paused survive the restart")
                    .isEqualTo(3);

            await().atMost(Duration.ofSeconds(60)).until(() -> b.state("gen").equals("COMPLETED"));
            List<Record> out = plugins.collected("gen");
            BitSet seen = new BitSet(COUNT);
            synchronized (out) {
                for (Record r : out) {
                    int id = r.getLong("id").intValue();
                    assertThat(seen.get(id)).as("id %d twice", id).isFalse();
                    seen.set(id);
                }
            }
            assertThat(seen.cardinality()).isEqualTo(COUNT);

            b.post("/api/tasks/paused/resume");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> b.get("/api/tasks/paused/output")
                                    .json()
                                    .get("total")
                                    .asInt()
                            == 8);
            JsonNode page = b.get("/api/tasks/paused/output").json();
            assertThat(page.get("offset").asInt())
                    .as("offsets go on after the restart")
                    .isEqualTo(5);
            assertThat(page.get("records").findValuesAsText("n")).containsExactly("6", "7", "8");
            b.post("/api/tasks/paused/stop");
        }
    }

    @Test
    void queuedDecimalsTimestampsAndBytesSurviveARestartWithTheirTypes() throws Exception {
        InProcessPlugins plugins = new InProcessPlugins();
        String task = """
                sources: { in: { use: push, with: { schema: { price: decimal, at: timestamp, raw: bytes } } } }
                sinks: { out: { use: collect, from: in, with: { name: typed } } }
                runtime: { max_wait_ms: 5 }
                """;
        try (TestServer a = new TestServer(plugins, dir)) {
            a.create("typed", task);
            a.post("/api/tasks/typed/start");
            a.post("/api/tasks/typed/pause");
            Thread.sleep(200); // a poll already waiting when the task paused may still take records: let it end
            assertThat(a.post(
                                    "/api/tasks/typed/records",
                                    "application/json",
                                    "[{\"price\": 12345678901234567.890, \"at\": \"2024-05-06T07:08:09.123456789Z\", \"raw\": \"AAH/\", \"n\": 1}]")
                            .status())
                    .isEqualTo(202);
        }
        try (TestServer b = new TestServer(plugins, dir)) {
            b.post("/api/tasks/typed/resume");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> plugins.collected("typed").size() == 1);
            Record r = plugins.collected("typed").get(0);
            assertThat(r.getDecimal("price").toString()).isEqualTo("12345678901234567.890");
            assertThat(r.get("at")).isEqualTo(java.time.Instant.parse("2024-05-06T07:08:09.123456789Z"));
            assertThat(r.getBytes("raw")).containsExactly(0, 1, 255);
            assertThat(r.get("n")).isEqualTo(1L);
            b.post("/api/tasks/typed/stop");
        }
    }
}
