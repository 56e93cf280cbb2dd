package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers over one state store never run the same task at once: the second is refused, changing nothing. */
class SharedStateTest {
    @TempDir
    Path dir;

    @Test
    void aTaskRunningInOneServerCannotBeStartedByAnotherOnTheSameState() throws Exception {
        InProcessPlugins plugins = new InProcessPlugins().processor("slow", () -> batch -> {
            Thread.sleep(5);
            return batch;
        });
        try (TestServer a = new TestServer(plugins, dir)) {
            a.create("gen", """
                    sources: { in: { use: seq, with: { count: 1000000, chunk: 100 } } }
                    processors: { p: { use: slow, from: in } }
                    sinks: { out: { use: collect, from: p, with: { name: gen } } }
                    runtime: { batch_size: 100, checkpoint_interval_ms: 100 }
                    """);
            a.post("/api/tasks/gen/start");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> plugins.collected("gen").size() > 1_000);

            try (TestServer b = new TestServer(plugins, dir)) {
                // b boots the task it finds RUNNING in the store, and is refused: a holds its state
                assertThat(b.state("gen")).isEqualTo("ERROR");
                TestServer.Response task = b.get("/api/tasks/gen");
                assertThat(task.json().get("error").asText())
                        .contains("in use by another run")
                        .contains("process " + ProcessHandle.current().pid());
                TestServer.Response start = b.post("/api/tasks/gen/start");
                assertThat(start.status()).isEqualTo(409);
                assertThat(start.json().get("message").asText()).contains("in use by another run");
            }
            assertThat(a.state("gen")).as("the first server's run goes on").isEqualTo("RUNNING");
        }
    }
}
