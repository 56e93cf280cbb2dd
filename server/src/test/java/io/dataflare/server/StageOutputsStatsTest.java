package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.PluginContext;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's stats list the records of each named output of a routing stage. */
class StageOutputsStatsTest {
    /** {@code parity}: even ids to output {@code even}, odd ones to {@code odd}. */
    static final class Parity implements ProcessorFactory {
        @Override
        public String name() {
            return "parity";
        }

        @Override
        public List<String> outputs(PluginConfig config) {
            return List.of("even", "odd");
        }

        @Override
        public Processor create(PluginContext context) {
            return batch -> {
                RecordBatch.Builder out = RecordBatch.builder(batch.size());
                for (Record r : batch) out.add(Long.parseLong(r.getString("id")) % 2 == 0 ? "even" : "odd", r);
                return out.build();
            };
        }
    }

    @TempDir
    Path dir;

    private TestServer s;

    @AfterEach
    void close() {
        if (s != null) s.close();
    }

    @Test
    void theStatsOfAStoppedTaskCountEachOutput() {
        s = new TestServer(new InProcessPlugins().add(new Parity()), dir.resolve("state"));
        s.create("routed", """
                sources: { in: { use: push } }
                processors: { p: { use: parity, from: in } }
                sinks:
                  evens: { use: memory, from: p.even }
                  odds: { use: memory, from: p.odd }
                runtime: { max_wait_ms: 5 }
                """);
        s.post("/api/tasks/routed/start");
        s.post("/api/tasks/routed/records", "text/csv", "id\n1\n2\n3\n4\n5\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> s.get("/api/tasks/routed")
                                .json()
                                .at("/stats/records_out")
                                .asInt()
                        == 5);
        JsonNode stats = s.post("/api/tasks/routed/stop").json().get("stats");
        JsonNode p = stats.get("stages").get(1);
        assertThat(p.get("name").asText()).isEqualTo("p");
        assertThat(p.get("outputs").get("even").asInt()).isEqualTo(2);
        assertThat(p.get("outputs").get("odd").asInt()).isEqualTo(3);
        assertThat(stats.get("stages").get(0).has("outputs"))
                .as("only stages with named outputs")
                .isFalse();
    }
}
