package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
            TestServer.Response r = server.get("/api/schema/workflow");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/schema+json"));
            assertThat(r.json()).isEqualTo(WorkflowSchema.of());

            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(r.json());
            assertThat(schema.validate(YAML.readTree(WORKFLOW))).isEmpty();
            assertThat(schema.validate(YAML.readTree(WORKFLOW.replace("\"Next\": \"Done\"", "\"Nxt\": \"Done\""))))
                    .extracting(ValidationMessage::getMessage)
                    .anyMatch(m -> m.contains("Nxt"));
        }
    }

    @Test
    void servesTheServerConfigSchemaForTheServersPlugins(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            TestServer.Response r = server.get("/api/schema/server-config");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/schema+json"));
            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(r.json());

            assertThat(schema.validate(YAML.readTree(CONFIG))).isEmpty();
            // the tasks' pipelines are checked against the server's plugins: the built-in push source's options
            JsonNode wrong = YAML.readTree(CONFIG.replace("capacity: 100", "capacty: 100"));
            assertThat(schema.validate(wrong))
                    .extracting(ValidationMessage::getMessage)
                    .anyMatch(m -> m.contains("capacty"));
            assertThat(schema.validate(YAML.readTree(CONFIG.replace("port:", "prt:"))))
                    .extracting(ValidationMessage::getMessage)
                    .anyMatch(m -> m.contains("prt"));
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
