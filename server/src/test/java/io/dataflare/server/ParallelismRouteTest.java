package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.PluginContext;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT /api/tasks/{id}/stages/{stage}/parallelism} on a running server task: the stage rescales while
 * records are pushed, a {@code scale} event reaches the task's stream, every record arrives once with each key in
 * order, and bad requests are answered 400/404/409 naming what is wrong.
 */
class ParallelismRouteTest {
    @TempDir
    Path dir;

    static final String ELASTIC = """
            sources: { in: { use: push } }
            processors:
              work:
                use: tag-instance
                from: in
                routing: { key: key, strategy: hash }
                parallelism: { min: 1, max: 4 }
            sinks: { out: { use: memory, from: work } }
            runtime: { max_wait_ms: 5 }
            """;

    /** {@code tag-instance}: adds the instance that processed the record. */
    static final class Tagger implements ProcessorFactory {
        @Override
        public String name() {
            return "tag-instance";
        }

        @Override
        public Processor create(PluginContext ctx) {
            long instance = ctx.instance();
            return b -> {
                RecordBatch.Builder out = RecordBatch.builder(b.size());
                for (var r : b) out.add(r.toBuilder().set("instance", instance).build());
                return out.build();
            };
        }
    }

    @Test
    void anOperatorRescalesARunningTask() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins().add(new Tagger()), dir)) {
            s.create("el", ELASTIC);
            s.post("/api/tasks/el/start");
            List<EventStreamTest.Event> events = new CopyOnWriteArrayList<>();
            EventStreamTest.subscribe(s, "/api/tasks/el/events", events);
            await().until(() -> !events.isEmpty());
            push(s, 0);

            TestServer.Response up =
                    s.put("/api/tasks/el/stages/work/parallelism", "application/json", "{\"parallelism\": 3}");
            assertThat(up.status()).as(up.body()).isEqualTo(200);
            assertThat(up.json().get("instances").asInt()).isEqualTo(3);
            assertThat(up.json().get("from").asInt()).isEqualTo(1);
            assertThat(up.json().get("rescaled").asBoolean()).isTrue();
            assertThat(up.json().get("moved_key_groups").asInt()).isPositive();
            push(s, 1);

            TestServer.Response bounds = s.put(
                    "/api/tasks/el/stages/work/parallelism",
                    "application/json",
                    "{\"min\": 2, \"max\": 2, \"auto\": true}");
            assertThat(bounds.status()).as(bounds.body()).isEqualTo(200);
            assertThat(bounds.json().get("instances").asInt())
                    .as("brought within the new bounds")
                    .isEqualTo(2);
            assertThat(bounds.json().get("auto").asBoolean()).isTrue();
            push(s, 2);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream()
                                    .filter(e -> "scale".equals(e.type()))
                                    .count()
                            == 2);
            JsonNode first = events.stream()
                    .filter(e -> "scale".equals(e.type()))
                    .findFirst()
                    .orElseThrow()
                    .data();
            assertThat(first.get("stage").asText()).isEqualTo("work");
            assertThat(first.get("to").asInt()).isEqualTo(3);
            assertThat(first.get("reason").asText()).isEqualTo("manual");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.get("/api/tasks/el/output?limit=10000")
                                    .json()
                                    .get("total")
                                    .asInt()
                            == 3 * 300);
            JsonNode out = s.get("/api/tasks/el/output?limit=10000").json().get("records");
            Set<String> seen = new HashSet<>();
            Map<String, Integer> last = new HashMap<>();
            Set<Integer> instances = new HashSet<>();
            for (JsonNode r : out) {
                String key = r.get("key").asText();
                int seq = r.get("seq").asInt();
                assertThat(seen.add(key + "/" + seq))
                        .as("once: %s/%s", key, seq)
                        .isTrue();
                Integer prev = last.put(key, seq);
                assertThat(prev == null || prev < seq).as("order of %s", key).isTrue();
                instances.add(r.get("instance").asInt());
            }
            assertThat(instances).hasSizeGreaterThan(1);

            assertThat(s.get("/metrics").body())
                    .contains("dataflare_rescales_total")
                    .contains("dataflare_stage_instances");
        }
    }

    @Test
    void badRequestsNameWhatIsWrong() {
        try (TestServer s = new TestServer(new InProcessPlugins().add(new Tagger()), dir)) {
            s.create("el", ELASTIC);
            s.create("fixed", ELASTIC.replace("parallelism: { min: 1, max: 4 }", "parallelism: 2"));
            String path = "/api/tasks/el/stages/work/parallelism";
            assertError(s.put(path, "application/json", "{\"parallelism\": 2}"), 409, "is READY");
            s.post("/api/tasks/el/start");
            s.post("/api/tasks/fixed/start");
            await().until(() ->
                    s.state("el").equals("RUNNING") && s.state("fixed").equals("RUNNING"));
            assertError(s.put(path, "application/json", "{\"parallelism\": 9}"), 400, "between 1 and 4");
            assertError(s.put(path, "application/json", "{\"max\": 9}"), 400, "parallelism.max");
            assertError(s.put(path, "application/json", "{\"paralelism\": 2}"), 400, "unknown field 'paralelism'");
            assertError(s.put(path, "application/json", "{\"parallelism\": \"two\"}"), 400, "'parallelism'");
            assertError(s.put(path, "application/json", "{\"auto\": 1}"), 400, "'auto'");
            assertError(s.put(path, "application/json", "[1]"), 400, "JSON object");
            assertError(
                    s.put("/api/tasks/el/stages/in/parallelism", "application/json", "{\"parallelism\": 2}"),
                    400,
                    "'in' is not a processor");
            assertError(
                    s.put("/api/tasks/nope/stages/work/parallelism", "application/json", "{\"parallelism\": 2}"),
                    404,
                    "nope");
            assertError(
                    s.put("/api/tasks/fixed/stages/work/parallelism", "application/json", "{\"parallelism\": 3}"),
                    409,
                    "fixed parallelism of 2");
        }
    }

    private static void assertError(TestServer.Response r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("message").asText()).contains(message);
    }

    /** 300 records over 30 keys, each key's {@code seq} continuing from the earlier rounds. */
    private static void push(TestServer s, int round) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            if (i > 0) b.append(',');
            b.append("{\"key\":\"k")
                    .append(i % 30)
                    .append("\",\"seq\":")
                    .append(round * 10 + i / 30)
                    .append('}');
        }
        TestServer.Response r = s.post(
                "/api/tasks/el/records", "application/json", b.append(']').toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }
}
