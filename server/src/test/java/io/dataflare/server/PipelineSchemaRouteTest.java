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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/schema/pipeline}: the pipeline schema for the server's plugins, its built-ins among them. */
class PipelineSchemaRouteTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String TASK = """
            name: feed
            sources:
              in: { use: push, with: { capacity: 100 } }
            sinks:
              out: { use: memory, from: in }
            """;

    @Test
    void servesASchemaKnowingTheBuiltinsAndTheirOptions(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            TestServer.Response r = server.get("/api/schema/pipeline");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/schema+json"));
            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(r.json());

            assertThat(schema.validate(YAML.readTree(TASK))).isEmpty();
            JsonNode wrong = YAML.readTree(TASK.replace("capacity: 100", "capacty: 100"));
            assertThat(schema.validate(wrong))
                    .extracting(ValidationMessage::getMessage)
                    .anyMatch(m -> m.contains("capacty"));
            JsonNode sourceNames = r.json().at("/properties/sources/additionalProperties/properties/use/anyOf/0/enum");
            assertThat(sourceNames).extracting(JsonNode::asText).contains("push", "seq");
        }
    }

    @Test
    void acceptsTheServerExampleTaskOnceItsPluginsAreThere(@TempDir Path dir) throws Exception {
        // orders-feed uses filter and map from the transforms plugin, which this module does not have: only
        // its push source and memory sink, the server's own, are checked here (the cli's tests check the rest).
        JsonNode feed = YAML.readTree(
                Path.of("..", "examples", "server", "orders-feed.yaml").toFile());
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                    .getSchema(server.get("/api/schema/pipeline").json());
            assertThat(schema.validate(feed))
                    .extracting(ValidationMessage::getInstanceLocation)
                    .map(Object::toString)
                    .allMatch(at -> at.startsWith("$.processors"));
        }
    }
}
