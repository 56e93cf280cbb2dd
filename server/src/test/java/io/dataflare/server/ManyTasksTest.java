package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100 tasks running at once, each with records flowing, then all stopped. */
class ManyTasksTest {
    private static final int TASKS = 100;

    @TempDir
    Path dir;

    @Test
    void hundredTasksRunAtOnce() throws Exception {
        InProcessPlugins plugins = new InProcessPlugins().processor("slow", () -> batch -> {
            Thread.sleep(20); // keeps 100 sources from eating both cores
            return batch;
        });
        try (TestServer s = new TestServer(plugins, dir);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < TASKS; i++) {
                String id = "t" + i;
                pool.submit(() -> s.create(id, """
                        sources: { in: { use: seq, with: { count: 100000000, chunk: 50 } } }
                        processors: { p: { use: slow, from: in } }
                        sinks: { out: { use: memory, from: p, with: { capacity: 100 } } }
                        runtime: { batch_size: 50, max_wait_ms: 5 }
                        """));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> s.get("/api/tasks").json().get("tasks").size() == TASKS);
            for (int i = 0; i < TASKS; i++) {
                String id = "t" + i;
                pool.submit(() -> s.post("/api/tasks/" + id + "/start"));
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        JsonNode tasks = s.get("/api/tasks").json().get("tasks");
                        for (JsonNode t : tasks) {
                            if (!t.get("state").asText().equals("RUNNING")
                                    || t.get("records_out").asLong() == 0) return false;
                        }
                        return tasks.size() == TASKS;
                    });
            for (int i = 0; i < TASKS; i++) {
                String id = "t" + i;
                pool.submit(() -> s.post("/api/tasks/" + id + "/stop"));
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        for (JsonNode t : s.get("/api/tasks").json().get("tasks")) {
                            if (!t.get("state").asText().equals("STOPPED")) return false;
                        }
                        return true;
                    });
            JsonNode one = s.get("/api/tasks/t42").json();
            assertThat(one.at("/stats/records_in").asLong())
                    .isEqualTo(one.at("/stats/records_out").asLong())
                    .isPositive();
        }
    }
}
