package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/schema/pipeline}: the pipeline schema for the server's plugins, its built-ins among them. */
class PipelineSchemaRouteTest {
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
            ServedSchema schema = ServedSchema.get(server, "/api/schema/pipeline");

            schema.assertAccepts(TASK);
            schema.assertRejectsNaming(TASK.replace("capacity: 100", "capacty: 100"), "capacty");
            JsonNode sourceNames =
                    schema.json().at("/properties/sources/additionalProperties/properties/use/anyOf/0/enum");
            assertThat(sourceNames).extracting(JsonNode::asText).contains("push", "seq");
        }
    }

    @Test
    void acceptsTheServerExampleTaskOnceItsPluginsAreThere(@TempDir Path dir) throws Exception {
        // orders-feed uses filter and map from the transforms plugin, which this module does not have: only
        // its push source and memory sink, the server's own, are checked here (the cli's tests check the rest).
        JsonNode feed = ServedSchema.readYaml(Path.of("..", "examples", "server", "orders-feed.yaml"));
        try (TestServer server = new TestServer(new InProcessPlugins(), dir)) {
            assertThat(ServedSchema.get(server, "/api/schema/pipeline").validate(feed))
                    .extracting(ValidationMessage::getInstanceLocation)
                    .map(Object::toString)
                    .allMatch(at -> at.startsWith("$.processors"));
        }
    }
}
