package io.dataflare.workflow.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workflow definition schema, checked with a JSON Schema validator against the conformance suite's
 * definitions: every definition the engine runs is accepted, unknown fields are refused where the parser refuses them.
 */
class WorkflowSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CASES = Path.of("src/test/resources/conformance");
    private static final JsonSchema SCHEMA =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(WorkflowSchema.of());

    private static List<JsonNode> cases() throws IOException {
        try (Stream<Path> files = Files.walk(CASES)) {
            return files.filter(p -> p.toString().endsWith(".case.json"))
                    .sorted()
                    .map(p -> {
                        try {
                            return JSON.readTree(p.toFile());
                        } catch (IOException e) {
                            throw new AssertionError(p + ": " + e, e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void acceptsEveryDefinitionTheConformanceSuiteRuns() throws Exception {
        List<JsonNode> valid = cases().stream()
                .filter(c -> !c.has("expectProblems") && c.path("definition").isObject())
                .toList();
        assertThat(valid).hasSizeGreaterThan(100);
        List<String> refused = valid.stream()
                .flatMap(c -> SCHEMA.validate(c.get("definition")).stream()
                        .map(m -> c.path("comment").asText() + ": " + m.getMessage()))
                .toList();
        assertThat(refused).isEmpty();
    }

    @Test
    void refusesUnknownFieldsOfTheDefinitionStatesAndRetriers() throws Exception {
        JsonNode definition = JSON.readTree("""
                {"StartAt": "A", "Sates": {}, "States": {
                  "A": {"Type": "Task", "Resource": "test:echo", "Nxt": "B", "End": true,
                        "Retry": [{"ErrorEquals": ["X"], "MaxAttempt": 2}]},
                  "B": {"Type": "Succeed", "Next": "A"}}}
                """);
        Set<ValidationMessage> problems = SCHEMA.validate(definition);
        assertThat(problems)
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("Sates"))
                .anyMatch(m -> m.contains("Nxt"))
                .anyMatch(m -> m.contains("MaxAttempt"))
                // a Succeed state ends the machine: it has no Next
                .anyMatch(m -> m.contains("$.States.B:") && m.contains("'Next'"));
        assertThat(SCHEMA.validate(JSON.readTree("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Sleep\"}}}")))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("Type"));
    }
}
