package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget that holds a task's run back is a {@code budget} event on the task's event stream: here
 * {@code runtime.memory_mb} capping the batches of the push source.
 */
class BudgetEventStreamTest {
    @TempDir
    Path dir;

    @Test
    void aMemoryBudgetCappingTheBatchesReachesTheTasksStream() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            s.create("small", """
                    sources: { in: { use: push } }
                    sinks: { out: { use: memory, from: in } }
                    runtime: { batch_size: 5000, memory_mb: 1, max_wait_ms: 5 }
                    """);
            s.post("/api/tasks/small/start");
            List<EventStreamTest.Event> events = new CopyOnWriteArrayList<>();
            EventStreamTest.subscribe(s, "/api/tasks/small/events", events);
            await().until(() -> !events.isEmpty());
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < 100; i++)
                b.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
            TestServer.Response r = s.post(
                    "/api/tasks/small/records",
                    "application/json",
                    b.append(']').toString());
            assertThat(r.status()).as(r.body()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> "budget".equals(e.type())));
            JsonNode e = events.stream()
                    .filter(x -> "budget".equals(x.type()))
                    .findFirst()
                    .orElseThrow()
                    .data();
            assertThat(e.get("task").asText()).isEqualTo("small");
            assertThat(e.get("budget").asText()).isEqualTo("memory");
            assertThat(e.get("state").asText()).isEqualTo("reached");
            assertThat(e.get("limit_bytes").asLong()).isEqualTo(1024 * 1024);
            assertThat(e.get("message").asText()).contains("runtime.memory_mb");
        }
    }
}
