package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code dataflare schema pipeline} over the distribution's real plugins: a JSON Schema validator finds every
 * example pipeline valid and a pipeline with an option its plugin does not have invalid.
 */
class PipelineSchemaIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static JsonSchema schema() throws Exception {
        Distribution.Cli cli = Distribution.cli(
                "schema", "pipeline", "--plugins", Distribution.plugins().toString());
        assertThat(cli.exit()).as(cli.err()).isZero();
        JsonNode schema = Distribution.JSON.readTree(cli.out());
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
    }

    @Test
    void acceptsEveryExamplePipeline() throws Exception {
        JsonSchema schema = schema();
        List<Path> pipelines;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            pipelines =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(pipelines).hasSizeGreaterThan(10);
        for (Path p : pipelines) {
            Set<ValidationMessage> problems = schema.validate(YAML.readTree(p.toFile()));
            assertThat(problems).as(p.toString()).isEmpty();
        }
    }

    @Test
    void rejectsAnOptionThePluginDoesNotHave() throws Exception {
        JsonNode quickstart = YAML.readTree(EXAMPLES.resolve("quickstart.yaml").toFile());
        JsonNode source = quickstart.get("sources").elements().next();
        ((com.fasterxml.jackson.databind.node.ObjectNode) source.get("with")).put("hedaer", true);
        assertThat(schema().validate(quickstart))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("hedaer"));
    }
}
