package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code dataflare schema workflow}: a schema an editor can check a YAML workflow definition with. */
class SchemaWorkflowCommandTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String DEFINITION = """
            StartAt: Load
            States:
              Load:
                Type: Task
                Resource: "pipeline:load.yaml"
                Retry: [{ ErrorEquals: [States.ALL], MaxAttempts: 2 }]
                Next: Done
              Done: { Type: Succeed }
            """;

    @Test
    void printsASchemaThatChecksWorkflowDefinitions() throws Exception {
        StringWriter out = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "schema", "workflow");
        assertThat(exit).isZero();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(new ObjectMapper().readTree(out.toString()));

        assertThat(schema.validate(YAML.readTree(DEFINITION))).isEmpty();
        JsonNode wrong = YAML.readTree(DEFINITION.replace("Resource:", "Resorce:"));
        assertThat(schema.validate(wrong))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("Resorce"))
                .anyMatch(m -> m.contains("Resource")); // required for a Task
    }
}
