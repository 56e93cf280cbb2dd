package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route against a real server on a free loopback port: what it answers, auth, and bad requests (4xx JSON, never 500). */
class ApiRoutesTest {
    static final String PUSH_TO_MEMORY = """
            sources: { in: { use: push } }
            sinks: { out: { use: memory, from: in } }
            runtime: { max_wait_ms: 5 }
            """;

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(new InProcessPlugins(), dir.resolve("state"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void theOpenApiDocumentListsExactlyTheServersRoutes() {
        TestServer.Response r = s.get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        TreeSet<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : r.json().get("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(s.server.api().routes()));
        assertThat(documented)
                .contains(
                        "GET /health",
                        "GET /metrics",
                        "GET /openapi.json",
                        "GET /api/tasks",
                        "POST /api/tasks",
                        "GET /api/tasks/{id}",
                        "PUT /api/tasks/{id}",
                        "DELETE /api/tasks/{id}",
                        "POST /api/tasks/{id}/start",
                        "POST /api/tasks/{id}/pause",
                        "POST /api/tasks/{id}/resume",
                        "POST /api/tasks/{id}/stop",
                        "POST /api/tasks/{id}/records",
                        "POST /api/tasks/{id}/attach",
                        "GET /api/tasks/{id}/output",
                        "PUT /api/tasks/{id}/stages/{stage}/parallelism",
                        "GET /api/tasks/{id}/events",
                        "GET /api/plugins",
                        "GET /api/plugins/{name}",
                        "GET /api/audit");
    }

    @Test
    void everyRouteButHealthNeedsTheToken() {
        assertThat(s.send(HttpRequest.newBuilder(java.net.URI.create(s.url() + "/health"))
                                .GET())
                        .status())
                .isEqualTo(200);
        for (String route : s.server.api().routes()) {
            // open: the liveness probe and the console's files (ConsoleTest), which hold no data
            if (List.of("GET /health", "GET /", "GET /console/{file}").contains(route)) continue;
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1)
                    .replace("{id}", "x")
                    .replace("{name}", "x")
                    .replace("{stage}", "x")
                    .replace("{execution}", "x")
                    .replace("{signal}", "x")
                    .replace("{token}", "x");
            for (String auth : new String[] {null, "Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer "}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(s.url() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
                if (auth != null) b.header("Authorization", auth);
                TestServer.Response r = s.send(b);
                assertThat(r.status()).as("%s with %s", route, auth).isEqualTo(401);
                assertThat(r.json().get("code").asText()).isEqualTo("unauthorized");
                assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
            }
        }
    }

    @Test
    void aTaskGoesThroughItsLifecycleAndItsRecordsComeOut() {
        JsonNode created = s.create("life", PUSH_TO_MEMORY);
        assertThat(created.get("state").asText()).isEqualTo("READY");
        assertThat(s.get("/api/tasks").json().get("tasks").findValuesAsText("id"))
                .contains("life");

        assertThat(s.post("/api/tasks/life/start").json().get("state").asText()).isEqualTo("RUNNING");
        TestServer.Response pushed = s.post(
                "/api/tasks/life/records",
                "application/json",
                "[{\"id\": 1, \"name\": \"a\"}, {\"id\": 2, \"name\": \"b\"}]");
        assertThat(pushed.status()).isEqualTo(202);
        assertThat(pushed.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(s.post("/api/tasks/life/records", "text/csv", "id,name\n3,c\n4,d\n")
                        .json()
                        .get("accepted")
                        .asInt())
                .isEqualTo(2);
        assertThat(s.post("/api/tasks/life/records", "application/x-ndjson", "{\"id\": 5}\n\n{\"id\": 6}\n")
                        .json()
                        .get("accepted")
                        .asInt())
                .isEqualTo(2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> s.get("/api/tasks/life/output").json().get("total").asInt() == 6);

        JsonNode page = s.get("/api/tasks/life/output?limit=2&offset=1").json();
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("next_offset").asInt()).isEqualTo(3);
        assertThat(page.get("records").get(0).get("id").asInt()).isEqualTo(2);
        assertThat(page.get("records").get(1).get("id").asText())
                .isEqualTo("3"); // CSV values are text without a schema

        assertThat(s.post("/api/tasks/life/pause").json().get("state").asText()).isEqualTo("PAUSED");
        assertThat(s.post("/api/tasks/life/resume").json().get("state").asText())
                .isEqualTo("RUNNING");
        JsonNode stopped = s.post("/api/tasks/life/stop").json();
        assertThat(stopped.get("state").asText()).isEqualTo("STOPPED");
        JsonNode stats = stopped.get("stats");
        assertThat(stats.get("records_in").asInt()).isEqualTo(6);
        assertThat(stats.get("records_out").asInt()).isEqualTo(6);
        assertThat(stats.get("stages").get(0).get("name").asText()).isEqualTo("in");
        assertThat(stats.get("stages").get(1).has("busy_ms")).isTrue();
        assertThat(stats.get("stages").get(1).has("queued_batches")).isTrue();
        assertThat(stopped.get("inputs").get(0).get("accepted").asInt()).isEqualTo(6);

        TestServer.Response put = s.put(
                "/api/tasks/life", "application/yaml", PUSH_TO_MEMORY.replace("max_wait_ms: 5", "max_wait_ms: 7"));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/pipeline/runtime/max_wait_ms").asInt()).isEqualTo(7);
        assertThat(put.json().get("state").asText()).isEqualTo("READY");
        assertThat(s.delete("/api/tasks/life").json().get("deleted").asBoolean())
                .isTrue();
        assertThat(s.get("/api/tasks/life").status()).isEqualTo(404);
    }

    @Test
    void aTaskCanBeSubmittedAsJsonWithItsIdOrAsTomlAndPutCreatesOne() {
        TestServer.Response json = s.post("/api/tasks", "application/json", """
                {"id": "as-json", "pipeline": {"sources": {"in": {"use": "push"}}, "sinks": {"out": {"use": "memory", "from": "in"}}}}
                """);
        assertThat(json.status()).isEqualTo(201);
        assertThat(json.json().get("format").asText()).isEqualTo("json");
        assertThat(json.json().at("/pipeline/sinks/out/use").asText()).isEqualTo("memory");
        TestServer.Response toml = s.post("/api/tasks?id=as-toml", "application/toml", """
                [sources.in]
                use = "push"
                [sinks.out]
                use = "memory"
                from = "in"
                """);
        assertThat(toml.status()).isEqualTo(201);
        assertThat(s.put("/api/tasks/by-put", "application/yaml", PUSH_TO_MEMORY)
                        .status())
                .isEqualTo(201);
        assertThat(s.post("/api/tasks?id=started&start=true", "application/yaml", PUSH_TO_MEMORY)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("RUNNING");
        s.post("/api/tasks/started/stop");
    }

    @Test
    void decimalsTimestampsAndBytesComeOutInTheRecordCodecsForm() {
        s.create("typed", """
                sources: { in: { use: push, with: { schema: { price: decimal, at: timestamp, raw: bytes } } } }
                sinks: { out: { use: memory, from: in } }
                runtime: { max_wait_ms: 5 }
                """);
        s.post("/api/tasks/typed/start");
        String row = "{\"price\": 12345678901234567.890, \"at\": \"2024-05-06T07:08:09.5+02:00\", \"raw\": \"AAH/\", "
                + "\"rate\": 0.1, \"huge\": 123456789012345678901234567890}";
        assertThat(s.post("/api/tasks/typed/records", "application/json", "[" + row + "]")
                        .status())
                .isEqualTo(202);
        assertThat(s.post("/api/tasks/typed/records", "application/x-ndjson", row + "\n")
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        s.get("/api/tasks/typed/output").json().get("total").asInt() == 2);
        String body = s.get("/api/tasks/typed/output").body();
        // the decimal keeps every digit, an untyped fraction is a double, a big integer is whole
        assertThat(body)
                .contains("{\"price\":12345678901234567.890,\"at\":\"2024-05-06T05:08:09.500Z\",\"raw\":\"AAH/\","
                        + "\"rate\":0.1,\"huge\":123456789012345678901234567890}");
        assertThat(body.split("12345678901234567.890", -1)).hasSize(3);
        s.post("/api/tasks/typed/stop");
    }

    @Test
    void attachFeedsAFileIntoTheTask() throws Exception {
        Path csv = Files.writeString(dir.resolve("attach.csv"), "id,amount\n1,2.5\n2,3.5\n3,4.5\n");
        s.create("att", """
                sources: { in: { use: push, with: { schema: { id: long, amount: double } } } }
                sinks: { out: { use: memory, from: in } }
                runtime: { max_wait_ms: 5 }
                """);
        s.post("/api/tasks/att/start");
        TestServer.Response r = s.post("/api/tasks/att/attach", "application/json", "{\"path\": \"" + csv + "\"}");
        assertThat(r.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> s.get("/api/tasks/att/output").json().get("total").asInt() == 3);
        JsonNode out = s.get("/api/tasks/att/output").json().get("records");
        assertThat(out.get(2).get("id").isIntegralNumber()).isTrue();
        assertThat(out.get(2).get("amount").asDouble()).isEqualTo(4.5);
        JsonNode attachment = s.get("/api/tasks/att").json().get("attachments").get(0);
        assertThat(attachment.get("state").asText()).isEqualTo("done");
        assertThat(attachment.get("records").asInt()).isEqualTo(3);
        s.post("/api/tasks/att/stop");
    }

    @Test
    void pluginsAreListedWithTheirOptions() {
        JsonNode all = s.get("/api/plugins").json().get("plugins");
        assertThat(all.findValuesAsText("name")).contains("push", "memory", "seq", "collect");
        JsonNode push = s.get("/api/plugins/push").json().get("components").get(0);
        assertThat(push.get("plugin").asText()).isEqualTo("dataflare-server");
        assertThat(push.get("options").findValuesAsText("name")).contains("capacity", "block_ms", "schema");
        assertThat(s.get("/api/plugins/dataflare-server").json().get("components"))
                .hasSize(2);
        assertThat(s.get("/api/plugins/nope").status()).isEqualTo(404);
    }

    @Test
    void metricsArePrometheusTextWithTaskStagesAndTasksByState() {
        s.create("metered", PUSH_TO_MEMORY);
        s.post("/api/tasks/metered/start");
        s.post("/api/tasks/metered/records", "application/json", "[{\"x\": 1}]");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> s.get("/metrics").body().contains("pipeline=\"metered\""));
        TestServer.Response m = s.get("/metrics");
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(m.body())
                .contains(
                        "dataflare_stage_records_in_total{",
                        "dataflare_tasks{state=\"RUNNING\"}",
                        "dataflare_http_requests_seconds_count{");
        s.post("/api/tasks/metered/stop");
    }

    @Test
    void secretsAreNeverReturnedNorShownInErrors() {
        String yaml = """
                sources: { in: { use: push } }
                sinks: { out: { use: collect, from: in, with: { name: "${secret:db_password}" } } }
                """;
        JsonNode created = s.create("secretive", yaml);
        assertThat(created.at("/pipeline/sinks/out/with/name").asText()).isEqualTo("${secret:db_password}");
        assertThat(s.get("/api/tasks/secretive").body()).doesNotContain(TestServer.SECRET);
        assertThat(s.get("/api/tasks").body()).doesNotContain(TestServer.SECRET);
        TestServer.Response bad = s.post("/api/tasks?id=leaky", "application/yaml", """
                sources: { in: { use: seq, with: { count: "${secret:db_password}" } } }
                sinks: { out: { use: memory, from: in } }
                """);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain(TestServer.SECRET).contains("***");
        assertThat(s.err.toString()).doesNotContain(TestServer.SECRET);
    }

    @Test
    void badRequestsAreJson4xxNever500() {
        s.create("bad", PUSH_TO_MEMORY);
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {s.post("/api/tasks", "application/json", "{not json"), 400, "invalid_pipeline"});
        cases.add(new Object[] {s.post("/api/tasks", "application/json", ""), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks", "application/yaml", PUSH_TO_MEMORY), 400, "bad_request"}); // no id
        cases.add(new Object[] {
            s.post("/api/tasks?id=no%20spaces", "application/yaml", PUSH_TO_MEMORY), 400, "bad_request"
        });
        cases.add(new Object[] {s.post("/api/tasks?id=bad", "application/yaml", PUSH_TO_MEMORY), 409, "conflict"});
        cases.add(new Object[] {s.post("/api/tasks?id=x", "image/png", "xx"), 415, "unsupported_media_type"});
        cases.add(new Object[] {
            s.post("/api/tasks?id=x&base_dir=relative", "application/yaml", PUSH_TO_MEMORY), 400, "bad_request"
        });
        cases.add(new Object[] {
            s.post("/api/tasks", "application/json", "{\"id\": 5, \"pipeline\": 3, \"extra\": 1}"),
            400,
            "invalid_pipeline"
        });
        cases.add(new Object[] {
            s.put("/api/tasks/bad", "application/json", "{\"id\": \"other\", \"pipeline\": {}}"),
            400,
            "invalid_pipeline"
        });
        cases.add(new Object[] {s.get("/api/tasks/none"), 404, "not_found"});
        cases.add(new Object[] {s.post("/api/tasks/none/start"), 404, "not_found"});
        cases.add(new Object[] {s.get("/api/nothing-here"), 404, "not_found"});
        cases.add(new Object[] {s.post("/api/tasks/bad/pause"), 409, "conflict"});
        cases.add(new Object[] {s.post("/api/tasks/bad/resume"), 409, "conflict"});
        cases.add(new Object[] {s.post("/api/tasks/bad/records", "application/json", "[{\"a\": 1}]"), 409, "conflict"
        }); // not running
        s.post("/api/tasks/bad/start");
        cases.add(new Object[] {s.post("/api/tasks/bad/start"), 409, "conflict"});
        cases.add(new Object[] {s.delete("/api/tasks/bad"), 409, "conflict"});
        cases.add(new Object[] {s.put("/api/tasks/bad", "application/yaml", PUSH_TO_MEMORY), 409, "conflict"});
        cases.add(
                new Object[] {s.post("/api/tasks/bad/records", "application/json", "{\"a\": 1}"), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks/bad/records", "application/json", "[1, 2]"), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks/bad/records", "application/json", "[{\"a\": "), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks/bad/records", "text/csv", "a,b\n1,2,3\n"), 400, "bad_request"});
        cases.add(
                new Object[] {s.post("/api/tasks/bad/records", "text/plain", "hello"), 415, "unsupported_media_type"});
        cases.add(new Object[] {
            s.post("/api/tasks/bad/records?source=nope", "application/json", "[{\"a\": 1}]"), 400, "bad_request"
        });
        cases.add(new Object[] {
            s.post("/api/tasks/bad/records", "application/json", "[" + "{\"a\": 1},".repeat(10_000) + "{\"a\": 1}]"),
            413,
            "too_many_records"
        });
        cases.add(new Object[] {
            s.post("/api/tasks/bad/records", "application/json", "[{\"a\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}]"),
            413,
            "too_large"
        });
        cases.add(new Object[] {s.post("/api/tasks/bad/attach", "application/json", "{}"), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks/bad/attach", "application/json", "[]"), 400, "bad_request"});
        cases.add(new Object[] {s.post("/api/tasks/bad/attach", "application/json", "null"), 400, "bad_request"});
        cases.add(new Object[] {
            s.post("/api/tasks/bad/attach", "application/json", "{\"path\": \"/no/such/file.csv\"}"), 400, "bad_request"
        });
        cases.add(new Object[] {
            s.post("/api/tasks/bad/attach", "application/json", "{\"path\": \"data.xyz\"}"), 400, "bad_request"
        });
        cases.add(new Object[] {
            s.post("/api/tasks/bad/attach", "application/json", "{\"path\": \"a.csv\", \"format\": \"xml\"}"),
            400,
            "bad_request"
        });
        cases.add(new Object[] {s.get("/api/tasks/bad/output?limit=abc"), 400, "bad_request"});
        cases.add(new Object[] {s.get("/api/tasks/bad/output?limit=0"), 400, "bad_request"});
        cases.add(new Object[] {s.get("/api/tasks/bad/output?offset=-5"), 400, "bad_request"});
        cases.add(new Object[] {s.get("/api/tasks/bad/output?sink=nope"), 400, "bad_request"});
        cases.add(new Object[] {s.get("/api/tasks/bad/events?filter=nocolon"), 400, "bad_request"});
        for (int i = 0; i < cases.size(); i++) {
            Object[] c = cases.get(i);
            TestServer.Response r = (TestServer.Response) c[0];
            assertThat(r.status()).as("case %d: %s", i, r.body()).isEqualTo((int) c[1]);
            assertThat(r.json().get("code").asText()).as(r.body()).isEqualTo(c[2]);
            assertThat(r.json().get("message").asText()).isNotBlank();
        }
        assertThat(s.post("/api/tasks/bad/stop").status()).isEqualTo(200);
    }

    @Test
    void stoppingATaskThatIsNotRunningSucceedsAndChangesNothing() {
        s.create("idle", PUSH_TO_MEMORY);
        TestServer.Response ready = s.post("/api/tasks/idle/stop");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("state").asText()).isEqualTo("READY");
        assertThat(ready.json().get("was_running").asBoolean()).isFalse();

        s.post("/api/tasks/idle/start");
        TestServer.Response first = s.post("/api/tasks/idle/stop");
        assertThat(first.json().get("state").asText()).isEqualTo("STOPPED");
        assertThat(first.json().get("was_running").asBoolean()).isTrue();
        TestServer.Response again = s.post("/api/tasks/idle/stop");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("STOPPED");
        assertThat(again.json().get("was_running").asBoolean()).isFalse();
    }

    @Test
    void pushingToAStoppedTaskIsRefusedWithItsStateAndQueuesNothing() {
        s.create("halted", PUSH_TO_MEMORY);
        s.post("/api/tasks/halted/start");
        s.post("/api/tasks/halted/stop");
        TestServer.Response r = s.post("/api/tasks/halted/records", "application/json", "[{\"a\": 1}]");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asText()).isEqualTo("conflict");
        assertThat(r.json().get("message").asText()).contains("STOPPED", "nothing was queued");
        JsonNode input = s.get("/api/tasks/halted").json().get("inputs").get(0);
        assertThat(input.get("queued").asInt()).isZero();
        assertThat(input.get("accepted").asInt()).isZero();
        s.post("/api/tasks/halted/start");
        assertThat(s.post("/api/tasks/halted/records", "application/json", "[{\"a\": 1}]")
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        s.get("/api/tasks/halted/output").json().get("total").asInt() == 1);
        s.post("/api/tasks/halted/stop");
    }

    @Test
    void invalidPipelinesAreListedWithTheirLocations() {
        TestServer.Response r = s.post("/api/tasks?id=broken", "application/yaml", """
                sources:
                  in: { use: push, with: { capacity: lots } }
                sinks:
                  out: { use: memory, from: inn }
                """);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("invalid_pipeline");
        JsonNode problems = r.json().get("problems");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).get("location").asText()).isEqualTo("body:2:28");
        assertThat(problems.get(0).get("message").asText()).contains("capacity");
        assertThat(problems.get(1).get("line").asInt()).isEqualTo(4);
        assertThat(problems.get(1).get("message").asText()).contains("inn");
        TestServer.Response wrapped = s.post("/api/tasks", "application/json", """
                {"id": "broken2",
                 "pipeline": {"sources": {"in": {"use": "nope"}}, "sinks": {"out": {"use": "memory", "from": "in"}}}}
                """);
        assertThat(wrapped.json().get("problems").get(0).get("location").asText())
                .startsWith("body:2:");
    }
}
