package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.testing.InProcessPlugins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load on loopback: {@value #CLIENTS} concurrent clients send {@value #REQUESTS} requests in all, half
 * pushing {@value #PER_PUSH} records each, half reading the task or its output. No errors, no record lost;
 * prints requests/s and latency percentiles (and writes them to {@code target/load-test.txt}).
 */
class LoadTest {
    static final int CLIENTS = 50;
    static final int REQUESTS = 10_000;
    static final int PER_PUSH = 10;

    @TempDir
    Path dir;

    @Test
    void tenThousandRequestsFromFiftyClientsLoseNothing() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int pushes = REQUESTS / 2;
            s.create("load", """
                    sources: { in: { use: push, with: { capacity: 20000, block_ms: 5000 } } }
                    sinks: { out: { use: memory, from: in, with: { capacity: %d } } }
                    runtime: { batch_size: 1000, max_wait_ms: 20 }
                    """.formatted(pushes * PER_PUSH));
            s.post("/api/tasks/load/start");
            String body = body();
            ConcurrentLinkedQueue<Long> pushNanos = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> getNanos = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger accepted = new AtomicInteger();
            List<Future<?>> clients = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS / CLIENTS; i++) {
                        boolean push = (i + client) % 2 == 0;
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url()
                                        + (push
                                                ? "/api/tasks/load/records"
                                                : i % 4 < 2 ? "/api/tasks/load" : "/api/tasks/load/output?limit=10")))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + TestServer.TOKEN);
                        if (push)
                            b.header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body));
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                            (push ? pushNanos : getNanos).add(System.nanoTime() - start);
                            if (r.statusCode() / 100 != 2) errors.add(r.statusCode() + " " + r.body());
                            else if (push) accepted.addAndGet(PER_PUSH);
                        } catch (Exception e) {
                            errors.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) f.get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            s.get("/api/tasks/load/output").json().get("total").asInt() >= accepted.get());
            int out = s.get("/api/tasks/load/output").json().get("total").asInt();
            s.post("/api/tasks/load/stop");

            String report = String.format(
                    Locale.ROOT,
                    "load test: %,d requests from %d clients in %.2f s = %,.0f requests/s; %d errors; %,d records accepted, %,d out, %d lost%n"
                            + "  push (%d records): %s%n  get: %s%n  all: %s%n",
                    REQUESTS,
                    CLIENTS,
                    seconds,
                    REQUESTS / seconds,
                    errors.size(),
                    accepted.get(),
                    out,
                    accepted.get() - out,
                    PER_PUSH,
                    percentiles(pushNanos),
                    percentiles(getNanos),
                    percentiles(concat(pushNanos, getNanos)));
            System.out.print(report);
            Files.writeString(Path.of("target", "load-test.txt"), report);
            assertThat(errors).as("errors").isEmpty();
            assertThat(accepted.get()).isEqualTo(pushes * PER_PUSH);
            assertThat(out).as("records lost").isEqualTo(accepted.get());
        }
    }

    private static String body() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < PER_PUSH; i++)
            sb.append(i == 0 ? "" : ",")
                    .append("{\"id\": ")
                    .append(i)
                    .append(", \"name\": \"record ")
                    .append(i)
                    .append("\"}");
        return sb.append(']').toString();
    }

    private static List<Long> concat(ConcurrentLinkedQueue<Long> a, ConcurrentLinkedQueue<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String percentiles(java.util.Collection<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        if (v.length == 0) return "-";
        return String.format(
                Locale.ROOT,
                "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (%,d requests)",
                at(v, 0.50),
                at(v, 0.95),
                at(v, 0.99),
                v[v.length - 1] / 1e6,
                v.length);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
