package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full input queue answers 429 after block_ms and queues nothing of that request; nothing accepted is lost. */
class PushBackpressureTest {
    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesWith429AndLosesNothing() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            s.create("bp", """
                    sources: { in: { use: push, with: { capacity: 10, block_ms: 100 } } }
                    sinks: { out: { use: memory, from: in, with: { capacity: 100 } } }
                    runtime: { max_wait_ms: 5 }
                    """);
            s.post("/api/tasks/bp/start");
            s.post("/api/tasks/bp/pause");
            Thread.sleep(200); // let a poll that was waiting when it paused end
            assertThat(s.post("/api/tasks/bp/records", "application/json", rows(0, 8))
                            .status())
                    .isEqualTo(202);
            long t0 = System.nanoTime();
            TestServer.Response full = s.post("/api/tasks/bp/records", "application/json", rows(8, 3));
            assertThat(full.status()).isEqualTo(429);
            assertThat((System.nanoTime() - t0) / 1_000_000)
                    .as("waited block_ms for room")
                    .isGreaterThanOrEqualTo(90);
            assertThat(full.json().get("code").asText()).isEqualTo("queue_full");
            assertThat(full.headers().firstValue("Retry-After")).contains("1");
            assertThat(s.post("/api/tasks/bp/records", "application/json", rows(8, 2))
                            .status())
                    .isEqualTo(202);
            assertThat(s.post("/api/tasks/bp/records", "application/json", rows(10, 11))
                            .status())
                    .as("more than the queue holds")
                    .isEqualTo(413);

            s.post("/api/tasks/bp/resume");
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            s.get("/api/tasks/bp/output").json().get("total").asInt() == 10);
            assertThat(s.post("/api/tasks/bp/records", "application/json", rows(10, 3))
                            .status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            s.get("/api/tasks/bp/output").json().get("total").asInt() == 13);
            assertThat(s.get("/api/tasks/bp/output").json().get("records").findValuesAsText("i"))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
            s.post("/api/tasks/bp/stop");
        }
    }

    private static String rows(int from, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < from + n; i++)
            sb.append(i == from ? "" : ",").append("{\"i\": ").append(i).append('}');
        return sb.append(']').toString();
    }
}
