package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records acknowledged by a push stay queued until a checkpoint covers them: a run that fails (task ERROR)
 * leaves them for the next start, which processes each exactly once (the memory sink forgets what it wrote
 * after the checkpoint it resumes from), also across a graceful server restart.
 */
class PushRedeliveryTest {
    /** Push → reject-bad (rejects records with {@code bad: true}) → memory; {@code on_error} and the checkpoint interval vary. */
    private static String pipeline(String onError, long checkpointMs) {
        return """
                sources: { in: { use: push } }
                processors: { check: { use: reject-bad, from: in } }
                sinks: { out: { use: memory, from: check } }
                policies: { errors: { on_error: %s } }
                runtime: { max_wait_ms: 5, checkpoint_interval_ms: %d }
                """.formatted(onError, checkpointMs);
    }

    @TempDir
    Path dir;

    private static InProcessPlugins plugins() {
        return new InProcessPlugins()
                .processor(
                        "reject-bad",
                        () -> Processor.mapping(r -> {
                            if (r.has("bad")) throw new InvalidRecordException("record " + r.get("n") + " is bad");
                            return r;
                        }));
    }

    @Test
    void recordsOfAFailedRunAreProcessedOnceWhenTheTaskRunsAgain() {
        try (TestServer s = new TestServer(plugins(), dir)) {
            // No periodic checkpoint: the run fails before its first one, so everything it read comes again.
            s.create("t", pipeline("abort", 600_000));
            s.post("/api/tasks/t/start");
            assertThat(s.post("/api/tasks/t/records", "application/json", rows(1, 5))
                            .status())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> total(s, "t") == 5);

            TestServer.Response pushed = s.post(
                    "/api/tasks/t/records", "application/json", "[{\"n\": 6}, {\"n\": 99, \"bad\": true}, {\"n\": 7}]");
            assertThat(pushed.status()).isEqualTo(202);
            assertThat(pushed.json().get("accepted").asInt()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> s.state("t").equals("ERROR"));
            assertThat(s.get("/api/tasks/t").json().get("error").asText()).contains("record 99 is bad");

            TestServer.Response refused = s.post("/api/tasks/t/records", "application/json", rows(8, 1));
            JsonNode input = s.get("/api/tasks/t").json().get("inputs").get(0);

            assertThat(s.put("/api/tasks/t", "application/yaml", pipeline("skip", 600_000))
                            .status())
                    .isEqualTo(200);
            assertThat(s.post("/api/tasks/t/start").json().get("state").asText())
                    .isEqualTo("RUNNING");
            await().atMost(Duration.ofSeconds(10)).until(() -> total(s, "t") >= 7);
            assertThat(output(s, "t")).as("none lost, none twice").containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("message").asText()).contains("ERROR", "nothing was queued");
            assertThat(input.get("queued").asInt() + input.path("held").asInt())
                    .as("kept for the next run")
                    .isEqualTo(8);
            assertThat(s.post("/api/tasks/t/stop")
                            .json()
                            .get("stats")
                            .get("skipped")
                            .asInt())
                    .isEqualTo(1);
            assertThat(s.get("/api/tasks/t").json().at("/inputs/0/held").asInt())
                    .as("the final checkpoint covers them")
                    .isZero();
        }
    }

    @Test
    void aCheckpointLetsGoOfWhatItCoversAndTheRestComesAgainAfterAGracefulRestart() {
        try (TestServer a = new TestServer(plugins(), dir)) {
            a.create("t", pipeline("abort", 100));
            a.post("/api/tasks/t/start");
            a.post("/api/tasks/t/records", "application/json", rows(1, 5));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> total(a, "t") == 5
                            && a.get("/api/tasks/t").json().at("/inputs/0/held").asInt() == 0);
            a.post("/api/tasks/t/records", "application/json", "[{\"n\": 6}, {\"n\": 99, \"bad\": true}, {\"n\": 7}]");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.state("t").equals("ERROR"));
        }
        try (TestServer b = new TestServer(plugins(), dir)) {
            assertThat(b.state("t")).isEqualTo("ERROR");
            assertThat(b.get("/api/tasks/t").json().at("/inputs/0/queued").asInt())
                    .as("kept across the restart")
                    .isEqualTo(3);
            b.put("/api/tasks/t", "application/yaml", pipeline("skip", 100));
            b.post("/api/tasks/t/start");
            await().atMost(Duration.ofSeconds(10)).until(() -> total(b, "t") == 7);
            JsonNode page = b.get("/api/tasks/t/output").json();
            assertThat(page.get("offset").asInt())
                    .as("offsets go on from the checkpoint")
                    .isEqualTo(5);
            assertThat(output(b, "t")).containsExactly(6, 7);
            assertThat(total(b, "t")).isEqualTo(7);
            b.post("/api/tasks/t/stop");
        }
    }

    @Test
    void recordsAcknowledgedBeforeAStopAreProcessedOnceAfterTheStart() throws Exception {
        try (TestServer s = new TestServer(plugins(), dir)) {
            s.create("t", pipeline("abort", 50));
            s.post("/api/tasks/t/start");
            int pushed = 0;
            List<Thread> stops = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                // pushes land while the task runs, while it stops, and while it is stopped (refused, then sent again)
                for (int i = 0; i < 20; i++, pushed++) {
                    while (true) {
                        int status = s.post("/api/tasks/t/records", "application/json", rows(pushed + 1, 1))
                                .status();
                        if (status == 202) break;
                        assertThat(status).isEqualTo(409);
                        s.post("/api/tasks/t/start");
                    }
                    if (i == 10) stops.add(Thread.ofVirtual().start(() -> s.post("/api/tasks/t/stop")));
                }
            }
            for (Thread t : stops) t.join();
            if (!s.state("t").equals("RUNNING")) s.post("/api/tasks/t/start");
            int all = pushed;
            await().atMost(Duration.ofSeconds(20)).until(() -> total(s, "t") >= all);
            Thread.sleep(200); // anything written twice would show now
            List<Integer> expected = new ArrayList<>();
            for (int n = 1; n <= all; n++) expected.add(n);
            assertThat(output(s, "t")).containsExactlyElementsOf(expected);
            s.post("/api/tasks/t/stop");
        }
    }

    @Test
    void anUpdateKeepsEveryQueuedRecordAndRefusesToDropASourceThatHoldsSome() throws Exception {
        try (TestServer s = new TestServer(plugins(), dir)) {
            s.create("t", pipeline("abort", 600_000));
            s.post("/api/tasks/t/start");
            s.post("/api/tasks/t/pause");
            Thread.sleep(200); // a poll that was waiting when it paused ends
            s.post("/api/tasks/t/records", "application/json", rows(1, 3));
            s.post("/api/tasks/t/stop");

            TestServer.Response renamed = s.put(
                    "/api/tasks/t",
                    "application/yaml",
                    pipeline("abort", 600_000)
                            .replace("in: { use: push", "feed: { use: push")
                            .replace("from: in", "from: feed"));
            assertThat(renamed.status()).isEqualTo(409);
            assertThat(renamed.json().get("message").asText()).contains("'in'", "3 records");

            String smaller = pipeline("abort", 600_000).replace("use: push }", "use: push, with: { capacity: 2 } }");
            assertThat(s.put("/api/tasks/t", "application/yaml", smaller).status())
                    .isEqualTo(200);
            assertThat(s.get("/api/tasks/t").json().at("/inputs/0/queued").asInt())
                    .as("more than the new capacity, all kept")
                    .isEqualTo(3);
            s.post("/api/tasks/t/start");
            await().atMost(Duration.ofSeconds(10)).until(() -> total(s, "t") == 3);
            assertThat(output(s, "t")).containsExactly(1, 2, 3);
            s.post("/api/tasks/t/stop");
        }
    }

    @Test
    void recordsSavedByAnEarlierVersionWithoutNumbersAreQueuedAgainBeyondTheCapacity() throws Exception {
        try (TestServer a = new TestServer(plugins(), dir)) {
            a.create("t", pipeline("abort", 600_000).replace("use: push }", "use: push, with: { capacity: 2 } }"));
        }
        try (StateStore store = StateStores.open(dir.toString())) {
            store.put("task-inputs", "t", "{\"in\": [{\"n\": 1}, {\"n\": 2}, {\"n\": 3}]}");
        }
        try (TestServer b = new TestServer(plugins(), dir)) {
            assertThat(b.get("/api/tasks/t").json().at("/inputs/0/queued").asInt())
                    .isEqualTo(3);
            b.post("/api/tasks/t/start");
            await().atMost(Duration.ofSeconds(10)).until(() -> total(b, "t") == 3);
            assertThat(output(b, "t")).containsExactly(1, 2, 3);
            b.post("/api/tasks/t/stop");
        }
    }

    private static int total(TestServer s, String id) {
        return s.get("/api/tasks/" + id + "/output").json().get("total").asInt();
    }

    private static List<Integer> output(TestServer s, String id) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode r : s.get("/api/tasks/" + id + "/output?limit=10000&offset=0")
                .json()
                .get("records")) out.add(r.get("n").asInt());
        return out;
    }

    private static String rows(int from, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < from + n; i++)
            sb.append(i == from ? "" : ",").append("{\"n\": ").append(i).append('}');
        return sb.append(']').toString();
    }
}
