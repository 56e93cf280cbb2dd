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
