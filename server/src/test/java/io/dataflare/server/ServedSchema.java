package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Set;

/**
 * A JSON Schema one of the server's routes serves: the document as served, and the schema it compiles to, to check
 * documents with as an editor would.
 */
record ServedSchema(JsonNode json, JsonSchema schema) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Gets {@code route}, checking that it answers 200 with a {@code application/schema+json} body. */
    static ServedSchema get(TestServer server, String route) throws Exception {
        TestServer.Response r = server.get(route);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/schema+json"));
        return new ServedSchema(
                r.json(),
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(r.json()));
    }

    /** What the schema finds wrong with {@code yaml} (YAML or JSON). */
    Set<ValidationMessage> validate(String yaml) throws Exception {
        return validate(YAML.readTree(yaml));
    }

    Set<ValidationMessage> validate(JsonNode document) {
        return schema.validate(document);
    }

    /** Checks that the schema accepts {@code yaml} as it is. */
    void assertAccepts(String yaml) throws Exception {
        assertThat(validate(yaml)).isEmpty();
    }

    /** Checks that the schema rejects {@code yaml} with a message naming {@code word} (the misspelt key). */
    void assertRejectsNaming(String yaml, String word) throws Exception {
        assertThat(validate(yaml)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains(word));
    }

    /** Reads a YAML file. */
    static JsonNode readYaml(Path file) throws Exception {
        return YAML.readTree(file.toFile());
    }
}
