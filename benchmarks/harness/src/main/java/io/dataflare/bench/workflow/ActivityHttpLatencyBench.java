package io.dataflare.bench.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@link ActivityLatencyBench} over real HTTP, against a running {@code dataflare serve}: executions of
 * {@code activity:work} → Pass one at a time, the worker (this process) long-polling
 * {@code POST /api/activities/work/poll} before each execution starts. <b>poll-to-dispatch</b> is from the
 * TaskScheduled event's timestamp (the server's clock, taken just before the commit that enqueues the task) to the
 * poll's answer arriving here; <b>completion-to-next-state</b> from just before the worker's
 * {@code POST .../success} to the timestamp of the next state's StateEntered event (taken just before its commit),
 * and <b>completion-to-seen</b> to that event's arrival here on the execution's event stream
 * ({@code GET /api/executions/{name}/events}, sent once the event is stored), which includes its commit. Both processes
 * read the same machine's wall clock; the timestamps come from {@code GET /api/executions/{name}/history} once the
 * execution has ended.
 *
 * <p>Arguments: EXECUTIONS SERVER_URL; the bearer token (a token with {@code workflows:*} and
 * {@code activities:work}, e.g. the admin token) in {@code DATAFLARE_TOKEN}.
 */
public final class ActivityHttpLatencyBench implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI server;
    private final String token;

    private ActivityHttpLatencyBench(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        URI server = URI.create(args.length > 1 ? args[1] : "http://127.0.0.1:8080");
        try (ActivityHttpLatencyBench bench = new ActivityHttpLatencyBench(server, System.getenv("DATAFLARE_TOKEN"))) {
            bench.run(n);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private void run(int n) throws Exception {
        String definition = MAPPER.readTree(ActivityLatencyBench.DEFINITION).toString();
        expect(post("/api/workflows", "{\"id\": \"activity-latency\", \"definition\": " + definition + "}"), 200, 201);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        long[] dispatch = new long[n];
        long[] next = new long[n];
        long[] seen = new long[n];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String name = "lat-" + runId + "-" + i;
                Future<Taken> poll = pool.submit(() -> {
                    HttpResponse<String> r =
                            post("/api/activities/work/poll", "{\"worker\": \"bench\", \"wait_seconds\": 30}");
                    Instant at = Instant.now();
                    expect(r, 200);
                    return new Taken(MAPPER.readTree(r.body()).get("task_token").asText(), at);
                });
                Thread.sleep(20); // the poll is waiting in the server when the task comes
                expect(
                        post(
                                "/api/workflows/activity-latency/executions",
                                "{\"name\": \"" + name + "\", \"input\": {\"v\": 1}}"),
                        201);
                Taken taken = poll.get();
                CountDownLatch subscribed = new CountDownLatch(1);
                Future<Instant> after = pool.submit(() -> awaitEvent(name, "StateEntered", "After", subscribed));
                subscribed.await();
                Instant done = Instant.now();
                expect(post("/api/activities/tasks/" + taken.token() + "/success", "{\"ok\": true}"), 204);
                seen[i] = Duration.between(done, after.get()).toNanos();
                JsonNode events = awaitHistory(name);
                dispatch[i] = Duration.between(timestamp(events, "TaskScheduled", "Work"), taken.at())
                        .toNanos();
                next[i] = Duration.between(done, timestamp(events, "StateEntered", "After"))
                        .toNanos();
            }
        }
        System.out.printf(
                "%-22s %6d tasks  p50 %8.2f ms  p99 %8.2f ms%n",
                "http poll-to-dispatch", n, ActivityLatencyBench.p(dispatch, 50), ActivityLatencyBench.p(dispatch, 99));
        System.out.printf(
                "%-22s %6d tasks  p50 %8.2f ms  p99 %8.2f ms%n",
                "http completion-to-next", n, ActivityLatencyBench.p(next, 50), ActivityLatencyBench.p(next, 99));
        System.out.printf(
                "%-22s %6d tasks  p50 %8.2f ms  p99 %8.2f ms%n",
                "http completion-to-seen", n, ActivityLatencyBench.p(seen, 50), ActivityLatencyBench.p(seen, 99));
    }

    /**
     * Follows {@code GET /api/executions/{name}/events} (Server-Sent Events: the recorded events, then each new one
     * once stored) until the event of {@code type} and {@code state} comes: the moment it came. {@code subscribed}
     * opens once the stream has delivered its first event.
     */
    private Instant awaitEvent(String name, String type, String state, CountDownLatch subscribed)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/api/executions/" + name + "/events"))
                .header("Accept", "text/event-stream")
                .GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (!line.startsWith("data:")) continue;
                subscribed.countDown();
                JsonNode e = MAPPER.readTree(line.substring("data:".length()));
                if (type.equals(e.path("type").asText())
                        && state.equals(e.path("state").asText())) return Instant.now();
            }
        } finally {
            subscribed.countDown();
        }
        throw new IllegalStateException("the events of " + name + " ended without " + type + " of " + state);
    }

    private record Taken(String token, Instant at) {}

    /** The history of an execution once it has succeeded. */
    private JsonNode awaitHistory(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/api/executions/" + name);
            expect(r, 200);
            String status = MAPPER.readTree(r.body()).get("status").asText();
            if (status.equals("SUCCEEDED")) {
                HttpResponse<String> h = get("/api/executions/" + name + "/history");
                expect(h, 200);
                return MAPPER.readTree(h.body()).get("events");
            }
            if (!status.equals("RUNNING") || System.nanoTime() > deadline)
                throw new IllegalStateException(name + " is " + status);
            Thread.sleep(5);
        }
    }

    private static Instant timestamp(JsonNode events, String type, String state) {
        for (JsonNode e : events)
            if (e.get("type").asText().equals(type)
                    && state.equals(e.path("state").asText()))
                return Instant.parse(e.get("timestamp").asText());
        throw new IllegalStateException("no " + type + " of " + state + " in " + events);
    }

    private static void expect(HttpResponse<String> r, int... statuses) {
        for (int s : statuses) if (r.statusCode() == s) return;
        throw new IllegalStateException(
                r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.resolve(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
