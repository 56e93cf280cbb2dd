package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload on a server watching its plugin folder: a running task's processor follows a newer version of its
 * plugin at a batch boundary, keeps a removed one, and every plugin event reaches the event streams of the tasks
 * it concerns (a switch: only its task's) and {@code GET /api/plugins}.
 */
@Timeout(120)
class PluginEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A task using the {@code stamp} plugin (with a secret in its options), and one using none. */
    private static final String STAMPED = """
            sources: { in: { use: push } }
            processors: { p: { use: "stamp@^1", from: in, with: { note: "${secret:db_password}" } } }
            sinks: { out: { use: memory, from: p } }
            runtime: { max_wait_ms: 5 }
            """;

    @TempDir
    Path dir;

    private Path plugins;
    private TestServer s;
    private final List<EventStreamTest.Event> a = new CopyOnWriteArrayList<>();
    private final List<EventStreamTest.Event> b = new CopyOnWriteArrayList<>();

    @BeforeEach
    void server() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Fixtures.stamp(plugins.resolve("stamp-1.0.0.jar"), "1.0.0");
        InProcessPlugins inProcess = new InProcessPlugins();
        Engine engine = Engine.builder()
                .meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .environment(Map.of())
                .pluginDirectory(plugins)
                .registry(r -> r.engineVersion("1.0.0"))
                .watchPlugins(Duration.ofMillis(50), Duration.ofMillis(100))
                .build();
        engine.plugins().register(inProcess.plugin());
        s = new TestServer(inProcess, engine, dir.resolve("state"), ServerConfig.defaults());
        s.create("a", STAMPED);
        s.create("b", ApiRoutesTest.PUSH_TO_MEMORY);
        assertThat(s.post("/api/tasks/a/start").status()).isEqualTo(200);
        assertThat(s.post("/api/tasks/b/start").status()).isEqualTo(200);
        EventStreamTest.subscribe(s, "/api/tasks/a/events", a);
        EventStreamTest.subscribe(s, "/api/tasks/b/events", b);
        await().atMost(WAIT).until(() -> !a.isEmpty() && !b.isEmpty()); // each stream's first state event
    }

    @AfterEach
    void close() {
        s.close();
    }

    @Test
    void aRunningTaskFollowsANewerVersionKeepsARemovedOneAndHearsOfIt() throws Exception {
        assertThat(pushAndStamp(0)).isEqualTo("1.0.0");

        Fixtures.stamp(plugins.resolve("stamp-1.5.0.jar"), "1.5.0");
        awaitPluginEvent(a, "loaded");
        // the reloader heard of it first: the next batch runs on the new version, and its worker announces the switch
        assertThat(pushAndStamp(1)).as("records after the switch").isEqualTo("1.5.0");
        awaitPluginEvent(a, "switched");
        JsonNode switched = pluginEvent(a, "switched");
        assertThat(switched.get("plugin").asText()).isEqualTo("stamp@1.5.0");
        assertThat(switched.get("task").asText()).isEqualTo("a");
        assertThat(switched.get("stage").asText()).isEqualTo("p");
        assertThat(switched.get("detail").asText()).contains("from stamp@1.0.0");
        assertThat(switched.get("pause_ms").isNumber())
                .as("pause_ms of %s", switched)
                .isTrue();
        assertThat(pluginEvent(a, "loaded").get("pause_ms").isNull()).isTrue();
        assertThat(pluginEvent(a, "loaded").get("plugin").asText()).isEqualTo("stamp@1.5.0");

        // a newer version whose options spec rejects the stage's options: the running one keeps serving
        Fixtures.stamp(plugins.resolve("stamp-1.7.0.jar"), "1.7.0", "strict");
        awaitPluginEvent(a, "switch_rejected");
        assertThat(pushAndStamp(2)).isEqualTo("1.5.0");

        Files.delete(plugins.resolve("stamp-1.5.0.jar"));
        awaitPluginEvent(a, "removed");
        assertThat(pushAndStamp(3))
                .as("a removed plugin stays alive for the task using it")
                .isEqualTo("1.5.0");
        assertThat(pluginEvent(a, "removed").get("plugin").asText()).isEqualTo("stamp@1.5.0");

        // b uses no stamp: it hears of every plugin loaded or removed, of no switch
        await().atMost(WAIT).until(() -> kinds(b).contains("removed"));
        assertThat(kinds(b)).containsExactly("loaded", "loaded", "removed");
        // a switch is published by the worker that adopted it, so it may come before or after the load that caused it
        assertThat(kinds(a)).containsExactlyInAnyOrder("loaded", "switched", "loaded", "switch_rejected", "removed");

        JsonNode api = s.get("/api/plugins").json();
        assertThat(api.get("watching").asBoolean()).isTrue();
        List<String> kinds = new ArrayList<>();
        api.get("events").forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).containsExactlyInAnyOrder("loaded", "switched", "loaded", "switch_rejected", "removed");
        assertThat(stampStates(api))
                .containsEntry("1.0.0", "loaded")
                .containsEntry("1.5.0", "retired")
                .containsEntry("1.7.0", "loaded");
    }

    @Test
    void aSecondCopyOfALoadedPluginIsListedAsShadowedWithWhy() throws Exception {
        Files.copy(plugins.resolve("stamp-1.0.0.jar"), plugins.resolve("stamp-1.0.0-copy.jar"));
        await().atMost(WAIT).until(() -> s.get("/api/plugins").body().contains("shadowed"));
        TestServer.Response r = s.get("/api/plugins");
        assertThat(r.status()).isEqualTo(200);
        JsonNode copy = null;
        for (JsonNode p : r.json().get("plugins")) {
            if (p.get("state").asText().equals("shadowed")) copy = p;
        }
        assertThat(copy).isNotNull();
        assertThat(copy.get("state").asText()).isEqualTo("shadowed");
        assertThat(copy.get("reason").asText()).startsWith("shadowed by ");
        assertThat(copy.get("plugin").asText()).isEqualTo("stamp");
        assertThat(s.get("/api/plugins/stamp").status()).isEqualTo(200);
    }

    @Test
    void aSwitchEventReachesOnlyItsTaskMaskedWithItsSecretsAndTheLastHundredAreKept() throws Exception {
        PluginRegistry registry = s.engine.plugins(); // publishes as the engine's reloader would
        registry.publish(PluginEvent.stage(
                PluginEvent.Kind.SWITCH_REJECTED,
                "stamp@9.9.9",
                "a",
                "p",
                "it rejects the stage's options: note " + TestServer.SECRET + " is not allowed"));
        awaitPluginEvent(a, "switch_rejected");
        JsonNode rejected = pluginEvent(a, "switch_rejected");
        assertThat(rejected.get("detail").asText())
                .contains("note *** is not allowed")
                .doesNotContain(TestServer.SECRET);
        assertThat(rejected.get("message").asText()).doesNotContain(TestServer.SECRET);
        assertThat(s.get("/api/plugins").body())
                .contains("note *** is not allowed")
                .doesNotContain(TestServer.SECRET);

        for (int i = 1; i <= 105; i++) {
            registry.publish(PluginEvent.file(
                    PluginEvent.Kind.FAILED, null, plugins.resolve("broken-" + i + ".jar"), "not a plugin"));
        }
        JsonNode events = s.get("/api/plugins").json().get("events");
        assertThat(events).hasSize(100);
        assertThat(events.get(99).get("file").asText()).endsWith("broken-105.jar");
        assertThat(events.get(0).get("file").asText()).endsWith("broken-6.jar");
        await().atMost(WAIT).until(() -> kinds(b).size() == 105);
        assertThat(kinds(b)).as("the switch was a's only").doesNotContain("switch_rejected");
    }

    /** Pushes record {@code n} to task a and returns the {@code v} its stamp processor gave it. */
    private String pushAndStamp(int n) {
        TestServer.Response r = s.post("/api/tasks/a/records", "application/json", "[{\"n\": " + n + "}]");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String[] v = new String[1];
        await().atMost(WAIT).until(() -> {
            JsonNode out =
                    s.get("/api/tasks/a/output?offset=" + n + "&limit=1").json().get("records");
            if (out.isEmpty()) return false;
            assertThat(out.get(0).get("n").asInt()).isEqualTo(n);
            v[0] = out.get(0).get("v").asText();
            return true;
        });
        return v[0];
    }

    private static List<String> kinds(List<EventStreamTest.Event> events) {
        return events.stream()
                .filter(e -> e.type().equals("plugin"))
                .map(e -> e.data().get("kind").asText())
                .toList();
    }

    private static void awaitPluginEvent(List<EventStreamTest.Event> events, String kind) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kinds(events))
                        .as("plugin events so far, of %s", events)
                        .contains(kind));
    }

    private static JsonNode pluginEvent(List<EventStreamTest.Event> events, String kind) {
        return events.stream()
                .filter(e -> e.type().equals("plugin")
                        && e.data().get("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow()
                .data();
    }

    /** The state of each installed stamp version, from {@code GET /api/plugins}. */
    private static Map<String, String> stampStates(JsonNode api) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode c : api.get("plugins")) {
            if ("stamp".equals(c.path("plugin").asText()))
                out.put(c.get("version").asText(), c.get("state").asText());
        }
        return out;
    }
}
