package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge mode end to end with the packaged distribution: a central {@code dataflare serve} and two
 * {@code dataflare edge} processes on loopback. The central server assigns a producing task to the nodes' label;
 * each node sends its records to the central server's push API through an offline buffer. The central server is
 * killed (SIGKILL) for 30 s while the nodes produce, and one node is killed and restarted while the central server
 * is down; once the central server is back every record of both nodes is in its output exactly once. Prints the
 * nodes' spool sizes and the drain rate.
 */
class EdgeModeIT {
    private static final String TOKEN = "edge-it-token-0123456789";
    private static final int PER_NODE = 5000;

    @TempDir
    Path dir;

    private int port;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String central() {
        return "http://127.0.0.1:" + port;
    }

    private Path centralConfig() throws IOException {
        Path c = Files.createDirectories(dir.resolve("central"));
        Files.writeString(c.resolve("collect.yaml"), """
                name: collect
                sources:
                  in: { use: push, with: { capacity: 50000, schema: { id: long } } }
                processors:
                  once: { use: dedupe, from: in, with: { key: [node, id] } }
                sinks:
                  out: { use: jsonl-file, from: once, with: { path: out/collected.jsonl } }
                runtime: { checkpoint_interval_ms: 300 }
                """);
        Files.writeString(c.resolve("produce.yaml"), """
                name: produce
                sources:
                  gen: { use: generator, with: { count: %d } }
                processors:
                  tag: { use: map, from: gen, with: { set: { node: "'${DATAFLARE_NODE_ID}'" } } }
                sinks:
                  central:
                    use: http
                    from: tag
                    grants: [http:127.0.0.1]
                    with:
                      url: "${DATAFLARE_CENTRAL_URL}/api/tasks/collect/records"
                      format: jsonl
                      bearer_token: "${secret:central_token}"
                      max_retries: 1
                      timeout_ms: 3000
                    buffer: { path: spool, retry_ms: 300 }
                runtime: { batch_size: 50, max_records_per_second: 100, checkpoint_interval_ms: 300 }
                """.formatted(PER_NODE));
        return Files.writeString(c.resolve("central.yaml"), """
                tasks:
                  collect: { enabled: true, file: collect.yaml }
                edge:
                  heartbeat_ms: 500
                  tasks:
                    produce: { selector: { role: sensor }, file: produce.yaml }
                """);
    }

    private Process startCentral(Path config, String run) throws IOException {
        return Distribution.startChild(
                List.of("-Xmx256m"),
                Map.of("DATAFLARE_TOKEN", TOKEN),
                dir.resolve("central" + run + ".out"),
                dir.resolve("central" + run + ".err"),
                "serve",
                "--config",
                config.toString(),
                "--port",
                Integer.toString(port),
                "--state-dir",
                dir.resolve("central/state").toString());
    }

    private Process startEdge(String node, String run) throws IOException {
        return Distribution.startChild(
                List.of("-Xmx128m"),
                new HashMap<>(),
                dir.resolve(node + run + ".out"),
                dir.resolve(node + run + ".err"),
                "edge",
                "--server",
                central(),
                "--token",
                TOKEN,
                "--labels",
                "role=sensor,site=" + node,
                "--node-id",
                node,
                "--grant",
                "dataflare-http=http:127.0.0.1",
                "--state-dir",
                dir.resolve(node).toString());
    }

    private JsonNode get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(central() + path))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Distribution.JSON.readTree(r.body());
        }
    }

    private long collected() throws IOException {
        Path out = dir.resolve("central/out/collected.jsonl");
        if (!Files.exists(out)) return 0;
        try (Stream<String> lines = Files.lines(out)) {
            return lines.count();
        }
    }

    /** Records and bytes in a node's spool. */
    private long[] spool(String node) throws IOException {
        Path spool = dir.resolve(node).resolve("tasks/produce/spool");
        if (!Files.isDirectory(spool)) return new long[] {0, 0};
        long records = 0;
        long bytes = 0;
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : s.toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*_n(\\d+)_t\\d+\\.batch")
                        .matcher(p.getFileName().toString());
                if (m.matches()) {
                    records += Long.parseLong(m.group(1));
                    bytes += p.toFile().length(); // 0 for a batch drained meanwhile
                }
            }
        }
        return new long[] {records, bytes};
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void recordsProducedWhileTheCentralServerIsDownArriveExactlyOnceAndARestartedNodeResumes() throws Exception {
        port = freePort();
        Path config = centralConfig();
        Process central = startCentral(config, "1");
        Process a = null;
        Process b = null;
        try {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> Files.readString(dir.resolve("central1.out")).contains("listening on"));
            a = startEdge("node-a", "1");
            b = startEdge("node-b", "1");

            // both nodes register, get the task and send records
            await().atMost(Duration.ofSeconds(90)).until(() -> collected() >= 400);
            JsonNode nodes = get("/api/nodes").get("nodes");
            assertThat(nodes).hasSize(2);
            for (JsonNode n : nodes) {
                assertThat(n.get("health").asText()).isEqualTo("healthy");
                assertThat(n.get("labels").get("role").asText()).isEqualTo("sensor");
                assertThat(n.get("assigned").toString()).contains("produce");
                assertThat(n.get("tasks").toString()).contains("\"id\":\"produce\"", "RUNNING");
            }

            kill(central); // the central server is gone for 30 s; the nodes keep producing into their spools
            long downAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> spool("node-a")[0] > 200);

            kill(a); // a node crashes while it cannot reach the central server...
            long[] beforeRestart = spool("node-a");
            a = startEdge("node-a", "2"); // ...and comes back from its local state alone
            await().atMost(Duration.ofSeconds(20)).until(() -> spool("node-a")[0] > beforeRestart[0] + 100);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(dir.resolve("node-a2.err")).contains("cannot be reached"));

            long left = 30_000 - (System.nanoTime() - downAt) / 1_000_000;
            if (left > 0) Thread.sleep(left);
            long[] spoolA = spool("node-a");
            long[] spoolB = spool("node-b");
            long before = collected();
            central = startCentral(config, "2");
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> Files.readString(dir.resolve("central2.out")).contains("listening on"));
            long backAt = System.nanoTime();

            // the spools drain (the nodes send new records directly once theirs is empty)...
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> spool("node-a")[0] == 0 && spool("node-b")[0] == 0);
            double drainSeconds = (System.nanoTime() - backAt) / 1e9;
            // ...and every record of both nodes ends up in the central output, exactly once
            await().atMost(Duration.ofSeconds(120)).until(() -> collected() >= 2L * PER_NODE);
            Thread.sleep(1500); // anything doubled would show up now
            Map<String, Integer> seen = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("central/out/collected.jsonl"))) {
                JsonNode r = Distribution.JSON.readTree(line);
                seen.merge(r.get("node").asText() + "/" + r.get("id").asLong(), 1, Integer::sum);
            }
            assertThat(seen).hasSize(2 * PER_NODE);
            assertThat(seen.values()).allMatch(c -> c == 1);
            for (String node : List.of("node-a", "node-b")) {
                for (int i = 0; i < PER_NODE; i++) assertThat(seen).containsKey(node + "/" + i);
            }
            JsonNode after = get("/api/nodes/node-a");
            assertThat(after.get("health").asText()).isEqualTo("healthy");
            System.out.printf(
                    "edge mode: spools when the central server came back: node-a %,d records (%,d bytes), node-b %,d"
                            + " records (%,d bytes); %,d records were in the central output then; the spools were"
                            + " empty %.1f s after it listened again (about %,.0f records/s, while the nodes kept"
                            + " producing at 100 records/s each); all %,d records in its output exactly once%n",
                    spoolA[0],
                    spoolA[1],
                    spoolB[0],
                    spoolB[1],
                    before,
                    drainSeconds,
                    (spoolA[0] + spoolB[0]) / drainSeconds,
                    2 * PER_NODE);
        } finally {
            for (Process p : new Process[] {a, b, central}) {
                if (p != null && p.isAlive()) {
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
                }
            }
        }
    }
}
