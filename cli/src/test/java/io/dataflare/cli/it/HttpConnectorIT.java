package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http examples through the CLI, with the real plugin JAR, against an HTTP server the test runs. */
class HttpConnectorIT {
    private static final String TOKEN = "tok-hunter2-http-secret";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> auth = new ConcurrentHashMap<>();
    private final AtomicInteger musicCalls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getQuery();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            arrivals.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) auth.put(path, authorization);
            if (path.equals("/items")) {
                boolean first = "page=1".equals(query);
                if (first) ex.getResponseHeaders().add("Link", "</items?page=2>; rel=\"next\"");
                answer(ex, 200, first ? "[{\"id\":1},{\"id\":2}]" : "[{\"id\":3},{\"id\":4}]");
            } else if (path.equals("/ingest/games")) {
                answer(ex, 400, "{\"error\":\"unknown category games for token " + TOKEN + "\"}");
            } else if (path.equals("/ingest/music") && musicCalls.getAndIncrement() == 0) {
                ex.getResponseHeaders().add("Retry-After", "1");
                answer(ex, 503, "busy");
            } else {
                bodies.merge(path, body, String::concat);
                answer(ex, 200, "");
            }
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private Distribution.Cli run(String example, Map<String, String> env) throws Exception {
        Path pipeline = dir.resolve(example);
        Files.copy(Path.of("..", "examples", example), pipeline);
        Path out = dir.resolve(example + ".out");
        Path err = dir.resolve(example + ".err");
        Process p = Distribution.startChild(
                List.of(), env, out, err, "run", pipeline.toString(), "--json", "--state", "memory:");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Distribution.Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void pollExampleFollowsLinkPagesIntoJsonLines() throws Exception {
        Distribution.Cli r = run("http-poll-to-jsonl.yaml", Map.of("ITEMS_URL", base() + "/items?page=1"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("status").asText()).isEqualTo("COMPLETED");
        List<String> lines = Files.readAllLines(dir.resolve("out/items.jsonl"));
        assertThat(lines).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":4}");
        assertThat(seen).containsExactly("GET /items?page=1", "GET /items?page=2");
    }

    @Test
    void forwardExampleSendsPerCategoryRetriesAndDeadLettersA400WithTheSecretMasked() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/items.jsonl"), """
                {"id":1,"category":"books"}
                {"id":2,"category":"music"}
                {"id":3,"category":"books"}
                {"id":4,"category":"games"}
                """);
        Distribution.Cli r =
                run("http-forward.yaml", Map.of("INGEST_BASE", base(), "DATAFLARE_SECRET_API_TOKEN", TOKEN));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode summary = r.json();
        assertThat(summary.get("dead_lettered").asLong()).isEqualTo(1);

        assertThat(bodies.get("/ingest/books"))
                .isEqualTo("{\"id\":1,\"category\":\"books\"}\n" + "{\"id\":3,\"category\":\"books\"}\n");
        assertThat(bodies.get("/ingest/music")).isEqualTo("{\"id\":2,\"category\":\"music\"}\n");
        assertThat(auth.get("/ingest/books")).isEqualTo("Bearer " + TOKEN);
        List<Long> music = arrivals.get("/ingest/music");
        assertThat(music).hasSize(2);
        assertThat((music.get(1) - music.get(0)) / 1_000_000).isGreaterThanOrEqualTo(1000);

        List<String> dead = Files.readAllLines(dir.resolve("out/http-dead-letters.jsonl"));
        assertThat(dead).hasSize(1);
        JsonNode d = Distribution.JSON.readTree(dead.get(0));
        assertThat(d.get("error").asText())
                .contains("answered 400")
                .contains("/ingest/games")
                .contains("unknown category games for token ***")
                .doesNotContain(TOKEN);
        assertThat(d.get("plugin").asText()).startsWith("dataflare-http@");
        assertThat(r.out()).doesNotContain(TOKEN);
        assertThat(r.err()).doesNotContain(TOKEN);
    }

    @Test
    void webhookAnswers202OnlyOnceTheRecordsAreInACheckpointedOutput() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path pipeline = Files.writeString(dir.resolve("hook.yaml"), """
                name: hook
                sources:
                  hook: { use: webhook, with: { listen: "127.0.0.1:%d", path: /events } }
                sinks:
                  out: { use: jsonl-file, from: hook, with: { path: out/events.jsonl } }
                runtime: { checkpoint_interval_ms: 300 }
                """.formatted(port));
        Process p = Distribution.startChild(
                List.of(),
                Map.of(),
                dir.resolve("hook.out"),
                dir.resolve("hook.err"),
                "run",
                pipeline.toString(),
                "--state",
                "memory:");
        try {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/events"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":1}\n{\"id\":2}\n"))
                    .build();
            java.net.http.HttpResponse<String> r = null;
            for (int i = 0; i < 600 && r == null; i++) {
                try {
                    r = client.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException notYetListening) {
                    assertThat(p.isAlive()).as("the run ended early").isTrue();
                    Thread.sleep(100);
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            // 202 means a durable checkpoint covers the records: the sink has already made them durable
            assertThat(Files.readAllLines(dir.resolve("out/events.jsonl"))).containsExactly("{\"id\":1}", "{\"id\":2}");

            java.net.http.HttpResponse<String> bad = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/events"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":3}\nnope\n"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).startsWith("line 2: not JSON");
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("out/events.jsonl"))).containsExactly("{\"id\":1}", "{\"id\":2}");
    }
}
