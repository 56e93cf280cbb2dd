package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged record is lost: 10,000 records pushed by several concurrent clients to the packaged server,
 * each push answered 202, the server SIGKILLed right after the last 202 (most records are then still queued,
 * the pipeline taking 1 ms a record), restarted on the same state directory: every record reaches the task's file
 * sink exactly once.
 */
class ServePushSpoolIT {
    private static final String TOKEN = "it-token-spool-0123456789";
    private static final int CLIENTS = 4;
    private static final int PUSHES_PER_CLIENT = 25;
    private static final int PER_PUSH = 100;
    private static final int RECORDS = CLIENTS * PUSHES_PER_CLIENT * PER_PUSH;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordReachesTheSinkExactlyOnceAfterASigkill() throws Exception {
        Path out = dir.resolve("out").resolve("records.jsonl");
        Path config = config(dir, out);
        Process server = start(dir, "1", config, Map.of());
        String url = Distribution.serverUrl(dir, "1");
        awaitRunning(url);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                int acknowledged = 0;
                try (HttpClient http = HttpClient.newHttpClient()) {
                    for (int p = 0; p < PUSHES_PER_CLIENT; p++) {
                        int first = (client * PUSHES_PER_CLIENT + p) * PER_PUSH;
                        HttpResponse<String> r = push(http, url, first);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                        acknowledged += PER_PUSH;
                    }
                }
                return acknowledged;
            }));
        }
        int acknowledged = 0;
        for (Future<Integer> f : done) acknowledged += f.get(120, TimeUnit.SECONDS);
        server.destroyForcibly(); // SIGKILL, right after the last 202
        clients.shutdown();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).isEqualTo(RECORDS);
        int before = lines(out);
        assertThat(before).as("records in the sink when killed").isLessThan(RECORDS);

        Process again = start(dir, "2", config, Map.of());
        try {
            Distribution.serverUrl(dir, "2");
            await().atMost(Duration.ofSeconds(120)).until(() -> lines(out) >= RECORDS);
            Thread.sleep(1_500); // a record written twice would show by now
            assertExactlyOnce(out);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /**
     * A server config with one task: a push source, a stage taking 1 ms a record (so that when the last push is
     * answered most records are surely still spooled, however fast the machine), a JSON-lines file sink;
     * checkpointed every 100 ms.
     */
    static Path config(Path dir, Path out) throws Exception {
        Files.createDirectories(out.getParent());
        Path pipeline = Files.writeString(dir.resolve("feed.yaml"), """
                name: feed
                sources:
                  in: { use: push, with: { capacity: 20000, schema: { id: long } } }
                processors:
                  slow: { use: delay, from: in, with: { per_record_us: 1000 } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: "%s" } }
                runtime: { checkpoint_interval_ms: 100 }
                """.formatted(out.toAbsolutePath()));
        return Files.writeString(dir.resolve("tasks.yaml"), """
                tasks:
                  feed:
                    enabled: true
                    file: %s
                """.formatted(pipeline.getFileName()));
    }

    static Process start(Path dir, String run, Path config, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DATAFLARE_TOKEN", TOKEN);
        return Distribution.startChild(
                List.of("-Xmx512m"),
                all,
                dir.resolve("serve" + run + ".out"),
                dir.resolve("serve" + run + ".err"),
                "serve",
                "--config",
                config.toString(),
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString());
    }

    static void awaitRunning(String url) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/tasks/feed"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200
                        && Distribution.JSON
                                .readTree(r.body())
                                .path("state")
                                .asText()
                                .equals("RUNNING");
            }
        });
    }

    /** Pushes records {@code first} to {@code first + PER_PUSH - 1}, each with a recognisable text value. */
    static HttpResponse<String> push(HttpClient http, String url, int first) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = first; i < first + PER_PUSH; i++) {
            if (i > first) body.append(',');
            body.append("{\"id\":")
                    .append(i)
                    .append(",\"secret\":\"spooled-value-")
                    .append(i)
                    .append("\"}");
        }
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/tasks/feed/records"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                body.append(']').toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int lines(Path file) throws Exception {
        if (!Files.exists(file)) return 0;
        try (var s = Files.lines(file)) {
            return (int) s.count();
        }
    }

    private static void assertExactlyOnce(Path file) throws Exception {
        BitSet seen = new BitSet(RECORDS);
        for (String line : Files.readAllLines(file)) {
            JsonNode n = Distribution.JSON.readTree(line);
            int id = n.get("id").asInt();
            assertThat(seen.get(id)).as("id %d twice", id).isFalse();
            assertThat(n.get("secret").asText()).isEqualTo("spooled-value-" + id);
            seen.set(id);
        }
        assertThat(seen.cardinality()).as("distinct records in the sink").isEqualTo(RECORDS);
    }
}
