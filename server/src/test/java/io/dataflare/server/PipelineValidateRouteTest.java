package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/pipelines/validate}: a pipeline checked as a task creation would check it, each problem at its
 * line, and nothing created.
 */
class PipelineValidateRouteTest {
    private static final String VALID = """
            sources:
              numbers: { use: seq, with: { count: 10 } }
            sinks:
              out:
                use: collect
                from: numbers
                with: { name: out }
            """;

    @Test
    void answersEveryProblemAtItsLineAndCreatesNothing(@TempDir Path dir) {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            TestServer.Response ok = s.post("/api/pipelines/validate", "application/yaml", VALID);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("valid").asBoolean()).isTrue();
            assertThat(ok.json().get("problems")).isEmpty();

            String wrong = VALID.replace("with: { name: out }", "with: { name: out, dealy_ms: 5 }")
                    .replace("from: numbers", "from: numbrs");
            TestServer.Response bad = s.post("/api/pipelines/validate", "application/yaml", wrong);
            assertThat(bad.status()).isEqualTo(200);
            JsonNode verdict = bad.json();
            assertThat(verdict.get("valid").asBoolean()).isFalse();
            assertThat(verdict.get("message").asText()).contains("problem");
            assertThat(verdict.get("problems"))
                    .anySatisfy(p -> {
                        assertThat(p.get("line").asInt()).isEqualTo(6);
                        assertThat(p.get("message").asText()).contains("numbrs");
                    })
                    .anySatisfy(p -> {
                        assertThat(p.get("line").asInt()).isEqualTo(7);
                        assertThat(p.get("message").asText()).contains("dealy_ms");
                        assertThat(p.get("location").asText()).startsWith("body:7:");
                    });

            // YAML that does not parse is a problem at its line too, not a failed request
            TestServer.Response broken =
                    s.post("/api/pipelines/validate", "application/yaml", "sources:\n  a: [1, 2\nsinks: {}\n");
            assertThat(broken.status()).isEqualTo(200);
            assertThat(broken.json().get("valid").asBoolean()).isFalse();
            assertThat(broken.json().get("problems").get(0).get("line").asInt()).isPositive();

            assertThat(s.get("/api/tasks").json().get("tasks")).isEmpty();
            assertThat(s.post("/api/pipelines/validate", "application/yaml", " ")
                            .status())
                    .isEqualTo(400);
        }
    }
}
