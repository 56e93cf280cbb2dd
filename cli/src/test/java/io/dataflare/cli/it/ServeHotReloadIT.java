package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of a running server task, black-box on the packaged distribution: {@code dataflare serve} (watching
 * its plugin folders by default) runs a push task through a JavaScript processor; while a client pushes 50,000
 * records, the script is replaced in the plugins folder by a newer version. Every record reaches the output
 * exactly once and in order, the ones before a single switch point carry version 1's output and the ones after
 * it version 2's, and the task's event stream and {@code GET /api/plugins} show the replacement and the switch.
 */
class ServeHotReloadIT {
    private static final String TOKEN = "it-token-reload-0123456789";
    private static final int RECORDS = 50_000;
    private static final int BATCH = 500;
    /** The replacement is written once this many records were pushed... */
    private static final int REPLACE_AT = 20_000;
    /** ...and no more than this many are pushed before the switch is seen, so that records follow it for sure. */
    private static final int SWITCH_BY = 40_000;

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String url;

    private static String tag(String version, int stamp) {
        return """
                export const manifest = { id: 'tag', version: '%s', kind: 'processor' };
                export function map(record) {
                  return { ...record, version: %d };
                }
                """.formatted(version, stamp);
    }

    @Test
    void aTaskSwitchesToTheReplacedScriptAtOneBatchBoundaryWithEveryRecordOnce() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("tag.js"), tag("1.0.0", 1));
        Path config = Files.writeString(dir.resolve("tasks.yaml"), """
                server:
                  plugins: [plugins]
                tasks:
                  tagged:
                    enabled: true
                    pipeline:
                      sources: { in: { use: push } }
                      processors: { tag: { use: "tag@^1", from: in } }
                      sinks: { out: { use: memory, from: tag, with: { capacity: %d } } }
                      runtime: { max_wait_ms: 5 }
                """.formatted(RECORDS + 10_000));
        Process server = Distribution.startServer(dir, "", config, TOKEN, "768m");
        try {
            url = Distribution.serverUrl(dir, "");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get("/api/tasks/tagged").get("state").asText().equals("RUNNING"));
            assertThat(get("/api/plugins").get("watching").asBoolean())
                    .as("serve watches its plugin folders by default")
                    .isTrue();

            List<JsonNode> streamed = new CopyOnWriteArrayList<>();
            Thread subscriber =
                    subscribe("/api/tasks/tagged/events?filter=n:-1", streamed); // plugin and state events, no records

            AtomicInteger pushed = new AtomicInteger();
            CountDownLatch switchSeen = new CountDownLatch(1);
            AtomicReference<Throwable> pushFailure = new AtomicReference<>();
            Thread pusher = Thread.ofPlatform().name("pusher").start(() -> {
                try {
                    for (int from = 0; from < RECORDS; from += BATCH) {
                        if (from >= SWITCH_BY && !switchSeen.await(60, TimeUnit.SECONDS))
                            throw new AssertionError("no switch within 60 s");
                        push(from, BATCH);
                        pushed.set(from + BATCH);
                    }
                } catch (Throwable t) {
                    pushFailure.set(t);
                }
            });

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> pushed.get() >= REPLACE_AT || pushFailure.get() != null);
            long writtenBefore = get("/api/tasks/tagged").at("/outputs/0/total").asLong();
            Path next = Files.writeString(dir.resolve("tag.js.next"), tag("1.1.0", 2));
            Files.move(
                    next,
                    plugins.resolve("tag.js"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> kinds(get("/api/plugins").get("events")).contains("switched"));
            switchSeen.countDown();
            pusher.join(180_000);
            assertThat(pushFailure.get()).as("the pusher").isNull();
            assertThat(pushed.get()).isEqualTo(RECORDS);

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> get("/api/tasks/tagged").at("/outputs/0/total").asLong() >= RECORDS);
            Thread.sleep(500); // a record written twice would show by now
            List<JsonNode> out = output();
            assertThat(out).hasSize(RECORDS);
            int switchPoint = -1;
            for (int i = 0; i < RECORDS; i++) {
                JsonNode r = out.get(i);
                assertThat(r.get("n").asInt())
                        .as("record %d: every record once, in order", i)
                        .isEqualTo(i);
                int version = r.get("version").asInt();
                if (switchPoint < 0 && version == 2) switchPoint = i;
                assertThat(version)
                        .as("record %d (switch point %d)", i, switchPoint)
                        .isEqualTo(switchPoint < 0 ? 1 : 2);
            }
            assertThat(switchPoint)
                    .as("records written before the file was replaced carry version 1")
                    .isGreaterThanOrEqualTo((int) writtenBefore)
                    .as("records pushed after the switch was seen carry version 2")
                    .isBetween(1, SWITCH_BY);

            System.out.printf(
                    "switched at record %d of %d (%d written before the script was replaced)%n",
                    switchPoint, RECORDS, writtenBefore);
            JsonNode plugins1 = get("/api/plugins");
            JsonNode replaced = event(plugins1.get("events"), "replaced");
            assertThat(replaced.get("plugin").asText()).isEqualTo("tag@1.1.0");
            assertThat(replaced.get("detail").asText()).contains("was tag@1.0.0");
            JsonNode switched = event(plugins1.get("events"), "switched");
            assertThat(switched.get("task").asText()).isEqualTo("tagged");
            assertThat(switched.get("stage").asText()).isEqualTo("tag");
            assertThat(componentState(plugins1, "tag")).contains("1.1.0 loaded");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> kinds(streamed).containsAll(List.of("replaced", "switched")));
            assertThat(event(streamed, "switched").get("plugin").asText()).isEqualTo("tag@1.1.0");

            server.destroy(); // SIGTERM: a graceful stop
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            subscriber.join(10_000);
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            http.close();
        }
        assertThat(server.exitValue())
                .as(Files.readString(dir.resolve("serve.err")))
                .isZero();
    }

    /** Pushes records {@code from} .. {@code from + count - 1}, again while the queue is full (429). */
    private void push(int from, int count) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < from + count; i++)
            body.append(i == from ? "" : ",").append("{\"n\":").append(i).append('}');
        body.append(']');
        HttpRequest request = request("/api/tasks/tagged/records")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); ; ) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) return;
            if (r.statusCode() != 429 || System.nanoTime() > deadline)
                throw new AssertionError("push: " + r.statusCode() + " " + r.body());
            Thread.sleep(100);
        }
    }

    /** Everything the memory sink wrote, page by page. */
    private List<JsonNode> output() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (long offset = 0; ; ) {
            JsonNode page = get("/api/tasks/tagged/output?offset=" + offset + "&limit=10000");
            assertThat(page.get("dropped").asLong()).isZero();
            page.get("records").forEach(out::add);
            if (page.get("records").isEmpty()) return out;
            offset = page.get("next_offset").asLong();
        }
    }

    /** Reads the task's event stream on a thread until it ends, collecting the data of its {@code plugin} events. */
    private Thread subscribe(String path, List<JsonNode> plugin) {
        return Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> r =
                        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String type = null;
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("event: ")) type = line.substring(7);
                        else if (line.startsWith("data: ") && "plugin".equals(type))
                            plugin.add(Distribution.JSON.readTree(line.substring(6)));
                    }
                }
            } catch (Exception e) {
                // the server went away
            }
        });
    }

    private static List<String> kinds(Iterable<JsonNode> events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) out.add(e.get("kind").asText());
        return out;
    }

    private static JsonNode event(Iterable<JsonNode> events, String kind) {
        for (JsonNode e : events) {
            if (e.get("kind").asText().equals(kind)) return e;
        }
        throw new AssertionError("no " + kind + " event in " + events);
    }

    /** The usable versions of plugin {@code id} with their states, e.g. {@code 1.1.0 loaded}. */
    private static String componentState(JsonNode api, String id) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : api.get("plugins")) {
            if (id.equals(c.path("plugin").asText()))
                out.add(c.get("version").asText() + " " + c.get("state").asText());
        }
        return String.join(", ", out);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Distribution.JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN);
    }
}
