package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.node.EdgeNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central side of edge mode: nodes register with their first heartbeat, get the tasks whose label selectors
 * they match (the pipeline text as written, with its SHA-256), are listed with their health and what they run,
 * and are still known after a restart; {@code edge:} in the config file is checked with located problems.
 */
class EdgeNodesTest {
    private static final String PRODUCE = """
            sources: { gen: { use: seq, with: { count: 10 } } }
            sinks: { out: { use: collect, from: gen, with: { name: "${DATAFLARE_NODE_ID}" } } }
            """;

    @TempDir
    Path dir;

    private ServerConfig config() throws Exception {
        Files.writeString(dir.resolve("produce.yaml"), PRODUCE);
        Path file = Files.writeString(dir.resolve("central.yaml"), """
                edge:
                  heartbeat_ms: 1000
                  tasks:
                    produce: { selector: { role: sensor }, file: produce.yaml }
                    shop-only: { selector: { role: sensor, site: shop-1 }, file: produce.yaml }
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(file, Substitution.fromSystem(new Redactor()), c);
        return c;
    }

    private static String heartbeat(String labels) {
        return """
                {"labels": %s, "capabilities": ["source:generator"], "version": "1.1.0",
                 "tasks": [{"id": "produce", "state": "RUNNING", "records_in": 5, "spooled_records": 3}]}
                """.formatted(labels);
    }

    @Test
    void nodesGetTheTasksTheirLabelsSelectAndAreListedWithTheirHealth() throws Exception {
        Path state = dir.resolve("state");
        try (TestServer s = new TestServer(new InProcessPlugins(), state, config())) {
            TestServer.Response a =
                    s.post("/api/nodes/node-a/heartbeat", "application/json", heartbeat("{\"role\": \"sensor\"}"));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode answer = a.json();
            assertThat(answer.get("heartbeat_ms").asLong()).isEqualTo(1000);
            assertThat(answer.get("assignments")).hasSize(1);
            JsonNode produce = answer.get("assignments").get(0);
            assertThat(produce.get("id").asText()).isEqualTo("produce");
            assertThat(produce.get("pipeline").asText()).as("sent as written").isEqualTo(PRODUCE);
            assertThat(produce.get("sha256").asText()).isEqualTo(EdgeNodes.sha256(PRODUCE));

            JsonNode b = s.post(
                            "/api/nodes/node-b/heartbeat",
                            "application/json",
                            heartbeat("{\"role\": \"sensor\", \"site\": \"shop-1\"}"))
                    .json();
            assertThat(ids(b.get("assignments"))).containsExactly("produce", "shop-only");
            JsonNode c = s.post("/api/nodes/node-c/heartbeat", "application/json", heartbeat("{\"role\": \"x\"}"))
                    .json();
            assertThat(c.get("assignments")).isEmpty();

            s.post("/api/nodes/node-a/heartbeat", "application/json", heartbeat("{\"role\": \"sensor\"}"));
            JsonNode nodes = s.get("/api/nodes").json().get("nodes");
            assertThat(ids(nodes)).containsExactly("node-a", "node-b", "node-c");
            JsonNode nodeA = nodes.get(0);
            assertThat(nodeA.get("health").asText()).isEqualTo("healthy");
            assertThat(nodeA.get("version").asText()).isEqualTo("1.1.0");
            assertThat(nodeA.get("assigned").toString()).isEqualTo("[\"produce\"]");
            assertThat(nodeA.get("tasks").get(0).get("spooled_records").asLong())
                    .isEqualTo(3);

            Thread.sleep(3500); // three heartbeats missed
            assertThat(s.get("/api/nodes/node-a").json().get("health").asText()).isEqualTo("unreachable");

            assertThat(s.post("/api/nodes/bad%20id/heartbeat", "application/json", "{}")
                            .status())
                    .isEqualTo(400);
            assertThat(s.post("/api/nodes/node-d/heartbeat", "application/json", "[1]")
                            .status())
                    .isEqualTo(400);
            assertThat(s.get("/api/nodes/never").status()).isEqualTo(404);
        }
        try (TestServer again = new TestServer(new InProcessPlugins(), state, config())) {
            assertThat(ids(again.get("/api/nodes").json().get("nodes")))
                    .as("kept in the state store")
                    .containsExactly("node-a", "node-b", "node-c");
        }
    }

    @Test
    void tasksAreAssignedAndUnassignedThroughTheApiAndKeptAcrossARestart() throws Exception {
        Path state = dir.resolve("state");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        byte[] jar = "not really a jar, served as it is".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(plugins.resolve("extra-1.0.jar"), jar);
        Files.writeString(plugins.resolve("extra-1.0.jar.sig"), "{\"format\": \"dataflare-plugin-signature/1\"}");
        String pipeline = "sources: { gen: { use: seq, with: { count: 3 } } }\n";
        try (TestServer s = server(state, plugins)) {
            TestServer.Response put =
                    s.put("/api/nodes/assignments/counter", "application/json", """
                    {"selector": {"site": "shop-1"}, "pipeline": %s, "plugins": ["extra-1.0.jar"]}
                    """.formatted(jsonString(pipeline)));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(put.json().get("origin").asText()).isEqualTo("api");
            assertThat(put.json().get("sha256").asText()).isEqualTo(EdgeNodes.sha256(pipeline));

            JsonNode answer = s.post(
                            "/api/nodes/node-b/heartbeat",
                            "application/json",
                            heartbeat("{\"role\": \"sensor\", \"site\": \"shop-1\"}"))
                    .json();
            assertThat(ids(answer.get("assignments"))).containsExactly("produce", "shop-only", "counter");
            JsonNode counter = answer.get("assignments").get(2);
            assertThat(counter.get("pipeline").asText()).isEqualTo(pipeline);
            assertThat(counter.get("format").asText()).isEqualTo("yaml");
            JsonNode plugin = counter.get("plugins").get(0);
            assertThat(plugin.get("file").asText()).isEqualTo("extra-1.0.jar");
            assertThat(plugin.get("size").asLong()).isEqualTo(jar.length);
            assertThat(plugin.get("sha256").asText())
                    .isEqualTo(java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(jar)));
            assertThat(plugin.get("signature").asText()).contains("dataflare-plugin-signature/1");
            TestServer.Response file = s.get(plugin.get("url").asText());
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(new String(jar, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(s.get("/api/nodes/plugins/extra-1.0.jar.sig").status())
                    .as("only files an assignment names")
                    .isEqualTo(404);
            assertThat(s.get("/api/nodes/plugins/..%2Fcentral.yaml").status()).isEqualTo(404);

            JsonNode list = s.get("/api/nodes/assignments").json().get("assignments");
            assertThat(ids(list)).containsExactly("produce", "shop-only", "counter");
            assertThat(list.get(0).get("origin").asText()).isEqualTo("config");
            assertThat(list.get(2).get("nodes").toString()).isEqualTo("[\"node-b\"]");
            assertThat(s.get("/api/nodes/node-b").json().get("assigned").toString())
                    .isEqualTo("[\"produce\",\"shop-only\",\"counter\"]");

            assertThat(s.delete("/api/nodes/assignments/produce").status())
                    .as("the config file's")
                    .isEqualTo(409);
            assertThat(s.put("/api/nodes/assignments/produce", "application/json", """
                                    {"selector": {}, "pipeline": "x: 1"}""")
                            .status())
                    .isEqualTo(409);
            TestServer.Response bad = s.put("/api/nodes/assignments/x", "application/json", """
                    {"selector": {"a": 1}, "pipeline": "x: 1"}""");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("'selector.a' must be a string");
            bad = s.put("/api/nodes/assignments/x", "application/json", """
                    {"selector": {}, "pipeline": "x: 1", "plugins": ["nope.jar"]}""");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("no plugin file 'nope.jar'");
            assertThat(s.put("/api/nodes/assignments/x", "application/json", "{\"selector\": {}}")
                            .body())
                    .contains("'pipeline' must be");
            assertThat(s.put(
                                    "/api/nodes/assignments/x",
                                    "application/json",
                                    "{\"selector\": {}, \"pipeline\": \"a\", \"extra\": 1}")
                            .body())
                    .contains("unknown field 'extra'");
        }
        try (TestServer again = server(state, plugins)) {
            JsonNode answer = again.post(
                            "/api/nodes/node-b/heartbeat", "application/json", heartbeat("{\"site\": \"shop-1\"}"))
                    .json();
            assertThat(ids(answer.get("assignments")))
                    .as("kept in the state store")
                    .containsExactly("counter");
            assertThat(again.delete("/api/nodes/assignments/counter").status()).isEqualTo(204);
            assertThat(again.delete("/api/nodes/assignments/counter").status()).isEqualTo(404);
            answer = again.post("/api/nodes/node-b/heartbeat", "application/json", heartbeat("{\"site\": \"shop-1\"}"))
                    .json();
            assertThat(answer.get("assignments")).isEmpty();
            assertThat(again.get("/api/nodes/plugins/extra-1.0.jar").status())
                    .as("no assignment names it any more")
                    .isEqualTo(404);
        }
    }

    @Test
    void aConfiguredEdgeTaskMayNamePluginFilesToo() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("extra-1.0.jar"), "bytes");
        Files.writeString(dir.resolve("produce.yaml"), PRODUCE);
        Path file = Files.writeString(dir.resolve("central.yaml"), """
                edge:
                  tasks:
                    produce: { selector: { role: sensor }, file: produce.yaml, plugins: [extra-1.0.jar, gone.jar] }
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(file, Substitution.fromSystem(new Redactor()), c);
        InProcessPlugins in = new InProcessPlugins();
        try (TestServer s = new TestServer(
                in,
                io.dataflare.engine.testing.TestEngines.withPlugins(
                        in,
                        b -> b.meters(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT))
                                .pluginDirectory(plugins)),
                dir.resolve("state"),
                c)) {
            JsonNode p = s.post("/api/nodes/n/heartbeat", "application/json", heartbeat("{\"role\": \"sensor\"}"))
                    .json()
                    .get("assignments")
                    .get(0)
                    .get("plugins");
            assertThat(p.get(0).get("sha256").asText()).hasSize(64);
            assertThat(p.get(0).has("signature"))
                    .as("no .sig on the central server")
                    .isFalse();
            assertThat(p.get(1).get("error").asText()).contains("no plugin file 'gone.jar'");
            assertThat(s.get("/api/nodes/plugins/extra-1.0.jar").body()).isEqualTo("bytes");
        }
    }

    private TestServer server(Path state, Path plugins) throws Exception {
        InProcessPlugins in = new InProcessPlugins();
        return new TestServer(
                in,
                io.dataflare.engine.testing.TestEngines.withPlugins(
                        in,
                        b -> b.meters(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT))
                                .pluginDirectory(plugins)),
                state,
                config());
    }

    private static String jsonString(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }

    private static java.util.List<String> ids(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : array) out.add(n.get("id").asText());
        return out;
    }

    @Test
    void edgeTasksAreCheckedWithTheirLocation() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                edge:
                  heartbeat_ms: 5
                  tasks:
                    a: { selector: { role: sensor } }
                    b: { selector: [role], file: missing.yaml }
                """);
        assertThatThrownBy(() ->
                        ServerConfigFile.read(file, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bad.yaml:2:")
                .hasMessageContaining("'heartbeat_ms' must be a whole number from 100")
                .hasMessageContaining("edge task 'a' needs 'file:'")
                .hasMessageContaining("'selector' must be a map of labels")
                .hasMessageContaining("missing.yaml does not exist");
    }
}
