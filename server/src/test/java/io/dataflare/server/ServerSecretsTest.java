package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Record;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret that a plugin puts into its error messages (a password in a failed login, a token in a URL) never
 * reaches an API answer, the event stream, the output, the dead letters or the server's messages: through a
 * record that is dead-lettered and through a run that fails.
 */
class ServerSecretsTest {
    @TempDir
    Path dir;

    /** Fails records marked {@code fail}, with a message quoting its {@code password} option. */
    private static final class Leaky implements ProcessorFactory {
        @Override
        public String name() {
            return "leaky";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("password", ConfigType.STRING, "")
                    .build();
        }

        @Override
        public Processor create(PluginContext ctx) {
            String password = ctx.config().getString("password");
            return batch -> {
                for (Record r : batch) {
                    if (Boolean.TRUE.equals(r.get("fail")))
                        throw new IllegalStateException("login as admin:" + password + " refused");
                }
                return batch;
            };
        }
    }

    @Test
    void aSecretInAPluginsErrorNeverLeavesTheServer() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins().add(new Leaky()), dir)) {
            s.create("dl", """
                    sources: { in: { use: push } }
                    processors: { p: { use: leaky, from: in, with: { password: "${secret:db_password}" } } }
                    sinks: { out: { use: memory, from: p } }
                    policies: { errors: { on_error: dead-letter, dead_letter: { use: memory } } }
                    runtime: { max_wait_ms: 5 }
                    """);
            s.create("abort", """
                    sources: { in: { use: push } }
                    processors: { p: { use: leaky, from: in, with: { password: "${secret:db_password}" } } }
                    sinks: { out: { use: memory, from: p } }
                    runtime: { max_wait_ms: 5 }
                    """);
            List<String> events = new CopyOnWriteArrayList<>();
            s.post("/api/tasks/dl/start");
            s.post("/api/tasks/abort/start");
            Thread dlEvents = subscribe(s, "/api/tasks/dl/events", events);
            Thread abortEvents = subscribe(s, "/api/tasks/abort/events", events);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);

            s.post("/api/tasks/dl/records", "application/json", "[{\"n\": 1}, {\"n\": 2, \"fail\": true}, {\"n\": 3}]");
            s.post("/api/tasks/abort/records", "application/json", "[{\"n\": 1, \"fail\": true}]");
            await().atMost(Duration.ofSeconds(10)).until(() -> s.state("abort").equals("ERROR"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.get("/api/tasks/dl/output?sink=dead_letter")
                                    .json()
                                    .get("total")
                                    .asInt()
                            == 1);

            List<String> answers = List.of(
                    s.get("/api/tasks").body(),
                    s.get("/api/tasks/dl").body(),
                    s.get("/api/tasks/abort").body(),
                    s.get("/api/tasks/dl/output").body(),
                    s.get("/api/tasks/dl/output?sink=dead_letter").body(),
                    s.post("/api/tasks/abort/resume").body(),
                    s.get("/metrics").body());
            assertThat(s.get("/api/tasks/dl/output?sink=dead_letter").body())
                    .as("the reason is kept, masked")
                    .contains("admin:***");
            assertThat(s.get("/api/tasks/abort").json().get("error").asText()).contains("admin:***");
            s.delete("/api/tasks/dl");
            s.delete("/api/tasks/abort");
            dlEvents.join(10_000);
            abortEvents.join(10_000);
            assertThat(events).as("events were received").isNotEmpty();
            for (String a : answers) assertThat(a).doesNotContain(TestServer.SECRET);
            for (String e : events) assertThat(e).doesNotContain(TestServer.SECRET);
            assertThat(s.err.toString()).doesNotContain(TestServer.SECRET);
        }
    }

    private static Thread subscribe(TestServer s, String path, List<String> into) {
        return Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> r = s.http.send(
                        s.request(path)
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("data: ")) into.add(line);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
