package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, driven by the OpenAPI document: for a bounded time ({@code -Ddataflare.fuzz.seconds}, default
 * 30), random requests to every route (right and wrong methods, random path and query values, random and
 * malformed headers and bodies: random bytes, random and broken JSON, YAML bombs, 10 MB bodies, 100,000 levels
 * of nesting) must each be answered within the client's timeout and never with a 5xx; afterwards the heap is
 * back within bounds. The seed is printed and can be replayed with {@code -Ddataflare.fuzz.seed=N}.
 */
class HostileInputTest {
    static final long MAX_REQUEST_BYTES = 1024 * 1024;
    static final String VIEWER_TOKEN = "viewer-token-0123456789";

    @TempDir
    static Path dir;

    static TestServer s;
    static JsonNode doc;

    @BeforeAll
    static void start() {
        AuthSettings auth = new AuthSettings(
                List.of(new NamedToken("viewer", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                null,
                null,
                Map.of());
        s = new TestServer(
                new InProcessPlugins(),
                dir.resolve("state"),
                ServerConfig.defaults().maxRequestBytes(MAX_REQUEST_BYTES).auth(auth));
        doc = s.get("/openapi.json").json();
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @Test
    void randomAndMalformedRequestsToEveryRouteAreNeverA5xxNorAHang() throws Exception {
        long seed = Long.getLong("dataflare.fuzz.seed", System.nanoTime());
        long seconds = Long.getLong("dataflare.fuzz.seconds", 30);
        System.out.println("HostileInputTest seed: " + seed + " (replay with -Ddataflare.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        s.create("etl-a", ApiRoutesTest.PUSH_TO_MEMORY);
        s.post("/api/tasks/etl-a/start");
        List<String[]> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties())
            for (Map.Entry<String, JsonNode> op : path.getValue().properties())
                routes.add(new String[] {op.getKey().toUpperCase(Locale.ROOT), path.getKey()});
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int requests = 0;
        List<String> failures = new ArrayList<>();
        long heapBefore = usedHeapAfterGc();
        while (System.nanoTime() < end && failures.size() < 10) {
            String[] route = routes.get(random.nextInt(routes.size()));
            String description = fuzzOnce(random, route[0], route[1], failures);
            requests++;
            if (requests % 200 == 0) System.out.println(requests + " requests, last: " + description);
        }
        long heapAfter = usedHeapAfterGc();
        System.out.println("HostileInputTest: " + requests + " requests, heap " + heapBefore / 1_000_000 + " MB -> "
                + heapAfter / 1_000_000 + " MB");
        assertThat(failures).as("seed %d", seed).isEmpty();
        // the server's own count of its answers, which holds even when a client lost an answer
        List<String> answered = s.get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith("dataflare_http_requests_seconds_count"))
                .toList();
        assertThat(answered).anyMatch(l -> l.contains("status=\"400\""));
        List<String> serverErrors =
                answered.stream().filter(l -> l.contains("status=\"5")).toList();
        assertThat(serverErrors)
                .as("5xx answers in the server's metrics, seed %d", seed)
                .isEmpty();
        assertThat(requests).isGreaterThan(routes.size());
        // bounded: what the requests left behind is small next to the bodies sent (hundreds of MB in all)
        assertThat(heapAfter - heapBefore).as("heap growth, seed %d", seed).isLessThan(128L * 1024 * 1024);
        assertThat(s.get("/health").status()).isEqualTo(200);
    }

    /** One random request to {@code template}; a failure is added when it is a 5xx or is not answered in time. */
    static String fuzzOnce(Random r, String method, String template, List<String> failures) throws Exception {
        if (r.nextInt(10) == 0) method = pick(r, "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
        String path = template.replace("{id}", pathValue(r))
                .replace("{stage}", pathValue(r))
                .replace("{name}", pathValue(r))
                .replace("{execution}", pathValue(r))
                .replace("{signal}", pathValue(r));
        String query = query(r, method.toLowerCase(Locale.ROOT), template);
        Body body = body(r);
        String description = method + " " + path + query + " [" + body.label + "]";
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(s.url() + path + query));
        } catch (IllegalArgumentException e) {
            return description + " (not a URI)";
        }
        b.timeout(Duration.ofSeconds(30));
        String contentType = pick(
                r,
                "application/json",
                "application/yaml",
                "application/toml",
                "text/csv",
                "application/x-ndjson",
                "text/plain",
                "application/octet-stream",
                "multipart/form-data; boundary=x",
                "application/json; charset=utf-16",
                "garbage/\u00e9;;;",
                null);
        if (contentType != null) header(b, "Content-Type", contentType);
        switch (r.nextInt(8)) {
            case 0 -> {} // no token: 401
            case 1 -> header(b, "Authorization", "Bearer " + VIEWER_TOKEN);
            case 2 ->
                header(
                        b,
                        "Authorization",
                        "Bearer "
                                + randomText(r, 1 + r.nextInt(300))
                                        .replace('\n', ' ')
                                        .replace('\r', ' '));
            case 3 -> header(b, "Authorization", "Bearer a.b.c");
            default -> header(b, "Authorization", "Bearer " + TestServer.TOKEN);
        }
        if (r.nextInt(4) == 0)
            header(b, "X-Request-Id", randomText(r, r.nextInt(200)).replaceAll("[\\r\\n]", "x"));
        if (r.nextInt(6) == 0) header(b, "Accept", pick(r, "text/event-stream", "*/*", "application/xml"));
        try {
            // a body without a length (chunked) half of the time: the size limit must hold for it too
            b.method(
                    method,
                    r.nextBoolean()
                            ? HttpRequest.BodyPublishers.ofByteArray(body.bytes)
                            : HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(body.bytes)));
        } catch (IllegalArgumentException e) {
            return description + " (the client refuses the method)";
        }
        int status;
        try {
            HttpResponse<InputStream> resp;
            try {
                resp = s.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // the client may reuse a connection the server closed after refusing the previous (too large) body
                if (!String.valueOf(e.getMessage()).contains("received no bytes")) throw e;
                resp = s.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            }
            status = resp.statusCode();
            try (InputStream in = resp.body()) {
                // the event stream never ends: read a little and leave
                if (!template.endsWith("/events")) in.readAllBytes();
            }
        } catch (HttpTimeoutException e) {
            failures.add(description + ": no answer within 30 s");
            return description;
        } catch (IOException e) {
            // A server refusing a request without reading its body (a bad path, a route that reads none, a body too
            // large) closes the connection while the client still writes, and the client may lose the answer. Fine
            // as long as the server goes on answering; its own 5xx count is checked in its metrics at the end.
            if (s.get("/health").status() == 200) return description + " (connection closed: " + e.getMessage() + ")";
            failures.add(description + ": " + e + ", and the server no longer answers");
            return description;
        } catch (IllegalArgumentException e) {
            return description + " (the client refuses a header)";
        }
        if (status >= 500) failures.add(description + ": answered " + status);
        return description + " -> " + status;
    }

    /** Sets a header unless the client refuses its value (then the request goes without it). */
    static void header(HttpRequest.Builder b, String name, String value) {
        try {
            b.header(name, value);
        } catch (IllegalArgumentException e) {
            // not sendable by this client: the request goes without it
        }
    }

    record Body(String label, byte[] bytes) {}

    static Body body(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> new Body("empty", new byte[0]);
            case 1 -> {
                byte[] b = new byte[r.nextInt(4096)];
                r.nextBytes(b);
                yield new Body("random bytes", b);
            }
            case 2 -> new Body("random JSON", randomJson(r, 0).getBytes(StandardCharsets.UTF_8));
            case 3 -> {
                String json = randomJson(r, 0);
                yield new Body(
                        "truncated JSON",
                        json.substring(0, r.nextInt(json.length() + 1)).getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> new Body("deep JSON array", nested(r.nextBoolean() ? 100_000 : 5_000, "[", "]"));
            case 5 -> new Body("deep JSON object", nested(100_000, "{\"a\":", "}"));
            case 6 -> new Body("deep YAML", nested(100_000, "- ", ""));
            case 7 -> new Body("YAML bomb", yamlBomb().getBytes(StandardCharsets.UTF_8));
            case 8 ->
                r.nextInt(4) == 0
                        ? new Body("10 MB", huge(10 * 1024 * 1024))
                        : new Body("small", "{}".getBytes(StandardCharsets.UTF_8));
            case 9 ->
                new Body(
                        "records",
                        ("[" + "{\"id\": 1, \"v\": \"x\"},".repeat(r.nextInt(2000)) + "{}]")
                                .getBytes(StandardCharsets.UTF_8));
            case 10 ->
                new Body("csv", ("a,b\n" + "1,\"2\n".repeat(r.nextInt(100)) + "\"").getBytes(StandardCharsets.UTF_8));
            case 11 -> new Body("pipeline", ApiRoutesTest.PUSH_TO_MEMORY.getBytes(StandardCharsets.UTF_8));
            case 12 -> new Body("random text", randomText(r, r.nextInt(2000)).getBytes(StandardCharsets.UTF_8));
            default ->
                new Body(
                        "fields",
                        ("{\"parallelism\": " + pick(r, "1e400", "-1", "99999999999", "\"x\"", "null", "[]", "2")
                                        + ", \"path\": "
                                        + pick(r, "\"/etc/passwd\"", "\"\u0000\"", "1", "\"" + "x".repeat(5000) + "\"")
                                        + ", \"format\": "
                                        + pick(r, "\"csv\"", "\"zip\"", "{}") + ", \"id\": "
                                        + pick(r, "\"etl-a\"", "\"../x\"", "7") + "}")
                                .getBytes(StandardCharsets.UTF_8));
        };
    }

    static String pathValue(Random r) {
        return pick(
                r,
                "etl-a",
                "etl-a",
                "missing",
                "x".repeat(300),
                "%00",
                "%2e%2e",
                "..",
                "%C3%A9t%C3%A9",
                "a%2Fb",
                "in",
                "seq",
                "%FF%FE",
                "-1",
                "%20");
    }

    static String query(Random r, String method, String template) {
        JsonNode params = doc.path("paths").path(template).path(method).path("parameters");
        StringBuilder q = new StringBuilder();
        for (JsonNode p : params) {
            if (!p.path("in").asText().equals("query") || r.nextInt(3) == 0) continue;
            q.append(q.isEmpty() ? "?" : "&").append(p.path("name").asText()).append('=');
            q.append(pick(
                    r,
                    "1",
                    "0",
                    "-1",
                    "true",
                    "",
                    "99999999999999999999999",
                    "NaN",
                    "1e9",
                    "%00",
                    "etl-a",
                    "2026-13-45T99:99:99Z",
                    "x".repeat(3000),
                    "%E2%82%AC",
                    "yaml",
                    "/tmp"));
        }
        if (r.nextInt(5) == 0) q.append(q.isEmpty() ? "?" : "&").append("unknown=%ZZ&&=&a=b=c");
        return q.toString();
    }

    static String randomJson(Random r, int depth) {
        int kind = depth > 6 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Boolean.toString(r.nextBoolean());
            case 2 -> pick(r, "0", "-0", "1e308", "1e999", "-9223372036854775809", "3.14", Long.toString(r.nextLong()));
            case 3, 4 ->
                "\"" + randomText(r, r.nextInt(30)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case 5 -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = r.nextInt(5); i > 0; i--)
                    b.append(randomJson(r, depth + 1)).append(i > 1 ? "," : "");
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                for (int i = r.nextInt(5); i > 0; i--)
                    b.append('"')
                            .append(pick(r, "id", "pipeline", "sources", "sinks", "use", "from", "path", "x"))
                            .append("\":")
                            .append(randomJson(r, depth + 1))
                            .append(i > 1 ? "," : "");
                yield b.append('}').toString();
            }
        };
    }

    static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10) == 0 ? r.nextInt(0x3000) : 0x20 + r.nextInt(0x5f);
            if (Character.isSurrogate((char) c)) c = 'x';
            b.append((char) c);
        }
        return b.toString();
    }

    static byte[] nested(int depth, String open, String close) {
        return (open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    static String yamlBomb() {
        StringBuilder b =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            b.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) b.append(i == 0 ? "" : ",").append('*').append(prev);
            b.append("]\n");
            prev = c;
        }
        return b.toString();
    }

    static byte[] huge(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 'a');
        b[0] = '[';
        b[1] = '"';
        b[n - 2] = '"';
        b[n - 1] = ']';
        return b;
    }

    @SafeVarargs
    static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void slowClientsSendingByteByByteAreServedAndDoNotBlockOthers() throws Exception {
        String body = "[{\"id\": 1}]";
        s.put("/api/tasks/slow", "application/yaml", ApiRoutesTest.PUSH_TO_MEMORY);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<String>> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) slow.add(pool.submit(() -> slowRequest(body, 40)));
            Thread.sleep(200);
            // meanwhile, others are answered at once
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++)
                assertThat(s.get("/api/tasks").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            for (Future<String> f : slow)
                assertThat(f.get(60, TimeUnit.SECONDS)).matches("HTTP/1.1 [1-4]\\d\\d .*");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A request whose headers and body are written one byte at a time, {@code delayMs} apart; its status line. */
    static String slowRequest(String body, long delayMs) throws IOException, InterruptedException {
        URI u = URI.create(s.url());
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(60_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head =
                    "POST /api/tasks/slow/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                            + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (byte x : bytes) {
                out.write(x);
                out.flush();
                Thread.sleep(delayMs);
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) line.append((char) c);
            return line.toString();
        }
    }
}
