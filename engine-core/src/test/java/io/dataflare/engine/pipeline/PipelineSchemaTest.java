package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dataflare.engine.testing.InProcessPlugins;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated pipeline schema, checked by a JSON Schema validator against pipelines the parser takes or refuses. */
class PipelineSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectNode schemaJson = PipelineSchema.of(List.of(new InProcessPlugins()
            .processor("pass", () -> {
                throw new UnsupportedOperationException("the schema never makes a processor");
            })
            .plugin()));
    private final JsonSchema schema =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaJson);

    private Set<ValidationMessage> check(String yaml) throws Exception {
        JsonNode doc = YAML.readTree(yaml);
        return schema.validate(doc);
    }

    private static final String VALID = """
            name: counts
            sources:
              numbers: { use: seq, with: { count: 100, keys: "${KEYS:-4}" } }
            processors:
              spread:
                use: pass
                from: numbers
                parallelism: { min: 1, max: 4, auto: true }
                routing: { key: key, strategy: hash }
            sinks:
              out: { use: collect@^1, from: [spread], with: { name: out } }
            policies:
              retry: { use: fixed-retry }
              errors:
                on_error: dead-letter
                dead_letter: { use: collect, with: { name: dlq } }
            runtime:
              batch_size: 500
              batch: { adaptive: true, target_latency_ms: 20 }
              state: { backend: rocksdb }
            """;

    @Test
    void acceptsAPipelineTheParserAccepts() throws Exception {
        assertThat(check(VALID)).isEmpty();
    }

    @Test
    void rejectsAnUnknownPluginOption() throws Exception {
        Set<ValidationMessage> problems = check(VALID.replace("count: 100", "count: 100, cuont: 3"));
        assertThat(problems).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("cuont"));
    }

    @Test
    void rejectsAMissingRequiredOptionAndAWrongType() throws Exception {
        assertThat(check(VALID.replace("with: { name: out }", "with: {}")))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("name"));
        assertThat(check(VALID.replace("count: 100", "count: lots"))).isNotEmpty();
        assertThat(check(VALID.replace("count: 100", "count: \"${COUNT}\""))).isEmpty();
    }

    @Test
    void rejectsUnknownEngineKeysAndOutOfRangeSettings() throws Exception {
        assertThat(check(VALID.replace("runtime:", "runtme: {}\nruntime:")))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("runtme"));
        assertThat(check(VALID.replace("batch_size: 500", "batch_size: 0"))).isNotEmpty();
        assertThat(check(VALID.replace("use: pass\n", "use: pass\n    paralelism: 2\n")))
                .isNotEmpty();
        assertThat(check(VALID.replace("from: [spread], ", ""))).isNotEmpty();
    }

    @Test
    void offersTheComponentsOfEachKindWithTheirOptionsDescribed() {
        JsonNode sourceUse = schemaJson.at("/properties/sources/additionalProperties/properties/use/anyOf/0/enum");
        assertThat(sourceUse).extracting(JsonNode::asText).containsExactly("seq");
        JsonNode rule = schemaJson.at("/properties/sources/additionalProperties/allOf/0/then/properties/with");
        assertThat(rule.at("/required/0").asText()).isEqualTo("count");
        assertThat(rule.at("/properties/keys/default").asLong()).isEqualTo(10);
        assertThat(rule.at("/properties/keys/description").asText()).contains("distinct keys");
    }
}
