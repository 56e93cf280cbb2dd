package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.sign.KeyFiles;
import io.dataflare.engine.plugin.sign.PluginSignature;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.dataflare.server.audit.AuditVerifier;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log of a real server: mutating calls, authentication failures, task state changes, GET /api/audit. */
class AuditTrailTest {
    static final String PUSH_TO_MEMORY = """
            sources: { in: { use: push } }
            sinks: { out: { use: memory, from: in } }
            runtime: { max_wait_ms: 5 }
            """;

    @TempDir
    Path dir;

    private static List<String> whats(JsonNode entries) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : entries) out.add(e.get("what").asText());
        return out;
    }

    @Test
    void pluginsLoadedAndRefusedAreAudited() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        KeyPair pair = KeyFiles.generate();
        KeyFiles.writePublic(pair.getPublic(), trusted.resolve("acme.pub"));
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0"), pair.getPrivate());
        Fixtures.stamp(plugins.resolve("unsigned.jar"), "2.0.0");
        InProcessPlugins inProcess = new InProcessPlugins();
        Engine engine = TestEngines.withFolder(
                plugins,
                inProcess,
                true,
                b -> b.meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                        .registry(r -> r.trust(new PluginTrust(true, List.of(trusted)))));
        try (TestServer s = new TestServer(inProcess, engine, dir.resolve("state"), ServerConfig.defaults())) {
            JsonNode at = s.get("/api/audit?what=plugin.").json().get("entries");
            assertThat(at).anySatisfy(e -> {
                assertThat(e.get("what").asText()).isEqualTo("plugin.loaded");
                assertThat(e.get("target").asText()).endsWith("stamp.jar");
                assertThat(e.get("detail").asText()).startsWith("stamp@1.0.0");
            });
            assertThat(at).anySatisfy(e -> {
                assertThat(e.get("what").asText()).isEqualTo("plugin.failed");
                assertThat(e.get("outcome").asText()).isEqualTo("refused");
                assertThat(e.get("target").asText()).endsWith("unsigned.jar");
                assertThat(e.get("who").asText()).isEqualTo("system");
            });
            // replaced by an unsigned build while the server runs: refused, and audited as such
            Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0", "patched");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> s.get("/api/audit?outcome=refused&target=stamp.jar")
                                    .json()
                                    .get("entries")
                                    .size()
                            == 1);
            assertThat(s.get("/api/audit?outcome=refused&target=stamp.jar")
                            .json()
                            .get("entries")
                            .get(0)
                            .get("detail")
                            .asText())
                    .contains("still serving stamp@1.0.0");
        }
    }

    @Test
    void mutatingCallsAuthFailuresAndStateChangesAreChainedAndQueryable() throws Exception {
        Path state = dir.resolve("state");
        Path log = state.resolve("audit.log");
        Instant start = Instant.now();
        try (TestServer s = new TestServer(new InProcessPlugins(), state)) {
            s.create("orders", PUSH_TO_MEMORY);
            TestServer.Response started = s.send(s.request("/api/tasks/orders/start")
                    .header("X-Request-Id", "req-start-1")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(started.status()).isEqualTo(200);
            assertThat(started.headers().firstValue("X-Request-Id")).hasValue("req-start-1");
            assertThat(s.post("/api/tasks/orders/records", "application/x-ndjson", "{\"n\":1}\n")
                            .status())
                    .isEqualTo(202);
            assertThat(s.post("/api/tasks/nope/start").status()).isEqualTo(404);
            s.get("/api/tasks"); // a read: not audited
            // no token, a wrong token
            assertThat(s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks"))
                                    .GET())
                            .status())
                    .isEqualTo(401);
            assertThat(s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks/orders"))
                                    .header("Authorization", "Bearer wrong-token")
                                    .DELETE())
                            .status())
                    .isEqualTo(401);
            assertThat(s.post("/api/tasks/orders/stop").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> s.state("orders").equals("STOPPED"));

            JsonNode all = s.get("/api/audit?limit=1000").json().get("entries");
            assertThat(whats(all))
                    .contains(
                            "server.started",
                            "POST /api/tasks",
                            "POST /api/tasks/{id}/start",
                            "POST /api/tasks/{id}/records",
                            "auth.failed",
                            "POST /api/tasks/{id}/stop",
                            "task.state")
                    .doesNotContain("GET /api/tasks");
            assertThat(all.toString()).doesNotContain("wrong-token").doesNotContain(TestServer.TOKEN);

            // the start and the state change it caused carry the caller and the request id
            JsonNode byRequest =
                    s.get("/api/audit?request_id=req-start-1").json().get("entries");
            assertThat(byRequest).anySatisfy(e -> {
                assertThat(e.get("what").asText()).isEqualTo("POST /api/tasks/{id}/start");
                assertThat(e.get("who").asText()).isEqualTo("admin");
                assertThat(e.get("target").asText()).isEqualTo("/api/tasks/orders/start");
                assertThat(e.get("outcome").asText()).isEqualTo("ok");
                assertThat(e.get("status").asInt()).isEqualTo(200);
            });
            assertThat(byRequest).anySatisfy(e -> {
                assertThat(e.get("what").asText()).isEqualTo("task.state");
                assertThat(e.get("who").asText()).isEqualTo("admin");
                assertThat(e.get("target").asText()).isEqualTo("task/orders");
                assertThat(e.get("detail").asText()).startsWith("READY -> ");
            });

            JsonNode failures = s.get("/api/audit?what=auth.failed").json().get("entries");
            assertThat(failures).hasSize(2).allSatisfy(e -> {
                assertThat(e.get("who").asText()).isEqualTo("anonymous");
                assertThat(e.get("outcome").asText()).isEqualTo("denied");
                assertThat(e.get("status").asInt()).isEqualTo(401);
            });
            assertThat(failures.get(0).get("target").asText()).isEqualTo("GET /api/tasks");
            assertThat(failures.get(1).get("target").asText()).isEqualTo("DELETE /api/tasks/orders");
            assertThat(failures.get(1).get("detail").asText()).isEqualTo("the token is not valid");

            JsonNode notFound =
                    s.get("/api/audit?outcome=failed&what=POST").json().get("entries");
            assertThat(notFound).singleElement().satisfies(e -> {
                assertThat(e.get("target").asText()).isEqualTo("/api/tasks/nope/start");
                assertThat(e.get("status").asInt()).isEqualTo(404);
                assertThat(e.get("detail").asText()).contains("nope");
            });
            assertThat(s.get("/api/audit?target=orders&what=task.state&limit=1")
                            .json()
                            .get("entries"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.get("detail").asText()).endsWith("-> STOPPED"));
            assertThat(s.get("/api/audit?since=" + Instant.now().plusSeconds(60))
                            .json()
                            .get("entries"))
                    .isEmpty();
            assertThat(s.get("/api/audit?since=" + start + "&who=system&what=server.")
                            .json()
                            .get("entries"))
                    .hasSize(1);
            assertThat(s.get("/api/audit?limit=0").status()).isEqualTo(400);
            assertThat(s.get("/api/audit?since=yesterday").json().get("message").asText())
                    .contains("'since' must be an ISO-8601 instant");
            assertThat(s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/audit"))
                                    .GET())
                            .status())
                    .isEqualTo(401);
        }
        assertThat(Files.readString(log)).contains("\"what\":\"server.stopped\"");
        assertThat(AuditVerifier.verify(List.of(log)).intact()).isTrue();

        // a restarted server continues the chain
        try (TestServer s = new TestServer(new InProcessPlugins(), state)) {
            s.create("more", PUSH_TO_MEMORY);
        }
        AuditVerifier.Result r = AuditVerifier.verify(List.of(log));
        assertThat(r.intact()).isTrue();
        assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("\"server.started\"")))
                .hasSize(2);
    }
}
