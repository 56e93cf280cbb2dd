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
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema of {@code serve --config} files, checked by a JSON Schema validator. */
class ServerConfigSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(ServerConfigSchema.configFile(
                    ServerConfigSchema.pipeline(List.of(new InProcessPlugins().plugin()), "1.1.0")));

    private static final String CONFIG = """
            server:
              port: 8080
              bind: 127.0.0.1
              plugins: { folders: [plugins], require_signed: false }
              grants: { http-get: [http:api.example.com] }
            auth:
              tokens:
                - { name: ci, token: "${secret:ci_token}", role: operator, tasks: [etl-*] }
              rate_limits: { default: { per_second: 50, burst: 100 } }
            tasks:
              feed:
                enabled: true
                pipeline:
                  sources: { in: { use: push, with: { capacity: 100 } } }
                  sinks: { out: { use: collect, from: in, with: { name: out }, buffer: { path: spool } } }
            plugins: { trusted_keys: [keys] }
            edge:
              heartbeat_ms: 5000
              tasks:
                produce: { selector: { role: sensor }, file: produce.yaml }
            """;

    @Test
    void acceptsTheExampleConfigFilesAndAFullOne() throws Exception {
        for (String f : List.of("tasks.yaml", "stock-tasks.yaml")) {
            JsonNode config =
                    YAML.readTree(Path.of("..", "examples", "server", f).toFile());
            assertThat(SCHEMA.validate(config)).as(f).isEmpty();
        }
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG))).isEmpty();
    }

    @Test
    void rejectsUnknownKeysWrongRolesAndUnknownPluginOptionsInTasks() throws Exception {
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG.replace("bind:", "bnd:"))))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("bnd"));
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG.replace("role: operator", "role: root"))))
                .isNotEmpty();
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG.replace("capacity: 100", "capacity: 100, size: 3"))))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("size"));
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG.replace("heartbeat_ms", "heartbeat"))))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("heartbeat"));
        assertThat(SCHEMA.validate(YAML.readTree(CONFIG.replace("path: spool", "path: spool, size: 3"))))
                .extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("size"));
    }
}
