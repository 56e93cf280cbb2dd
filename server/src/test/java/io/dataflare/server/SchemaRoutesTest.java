package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.workflow.definition.WorkflowSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/schema/workflow} and {@code GET /api/schema/server-config}: the documents the CLI prints, served
 * as JSON Schema, and they check what they describe.
 */
class SchemaRoutesTest {
    private static final String WORKFLOW = """
            {"StartAt": "Prepare", "States": {
              "Prepare": {"Type": "Pass", "Next": "Done"},
              "Done": {"Type": "Succeed"}}}
            """;

    private static final String CONFIG = """
            server: { port: 8080 }
            tasks:
              feed:
                pipeline:
                  sources: { in: { use: push, with: { capacity: 100 } } }
                  sinks: { out: { use: memory, from: in } }
            """;

    @Test
    void servesTheWorkflowSchemaTheCliPrints(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            ServedSchema schema = ServedSchema.get(server, "/api/schema/workflow");
            assertThat(schema.json()).isEqualTo(WorkflowSchema.of());

            schema.assertAccepts(WORKFLOW);
            schema.assertRejectsNaming(WORKFLOW.replace("\"Next\": \"Done\"", "\"Nxt\": \"Done\""), "Nxt");
        }
    }

    @Test
    void servesTheServerConfigSchemaForTheServersPlugins(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            ServedSchema schema = ServedSchema.get(server, "/api/schema/server-config");

            schema.assertAccepts(CONFIG);
            // the tasks' pipelines are checked against the server's plugins: the built-in push source's options
            schema.assertRejectsNaming(CONFIG.replace("capacity: 100", "capacty: 100"), "capacty");
            schema.assertRejectsNaming(CONFIG.replace("port:", "prt:"), "prt");
        }
    }

    @Test
    void bothNeedAToken(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            for (String route : new String[] {"/api/schema/workflow", "/api/schema/server-config"}) {
                var r = java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + route))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(route).isEqualTo(401);
            }
        }
    }
}
