package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's stats, in the API, the event stream's {@code progress} events and the Prometheus metrics: end-to-end
 * record latency and the queue on each edge.
 */
class StatsLatencyAndEdgesTest {
    @TempDir
    Path dir;

    @Test
    void progressEventsCarryTheLatencyPercentilesAndTheEdgeQueues() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            s.create("lat", """
                    sources: { in: { use: push } }
                    sinks: { out: { use: collect, from: in, with: { name: slow, delay_ms: 20 } } }
                    runtime: { max_wait_ms: 5, queue_batches: 4 }
                    """);
            s.post("/api/tasks/lat/start");
            List<EventStreamTest.Event> events = new CopyOnWriteArrayList<>();
            Thread t = EventStreamTest.subscribe(s, "/api/tasks/lat/events?records=false", events);
            s.post("/api/tasks/lat/records", "text/csv", "id\n1\n2\n3\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> events.stream()
                            .anyMatch(e -> e.type().equals("progress")
                                    && e.data().at("/stats/latency/records").asInt() == 3));
            JsonNode stats = events.stream()
                    .filter(e -> e.type().equals("progress")
                            && e.data().at("/stats/latency/records").asInt() == 3)
                    .findFirst()
                    .orElseThrow()
                    .data()
                    .get("stats");
            // no record was acknowledged before the sink's 20 ms write was over
            assertThat(stats.at("/latency/p50_ms").asDouble()).isGreaterThanOrEqualTo(19.8);
            assertThat(stats.at("/latency/p99_ms").asDouble())
                    .isGreaterThanOrEqualTo(stats.at("/latency/p50_ms").asDouble());
            assertThat(stats.at("/latency/max_ms").asDouble())
                    .isGreaterThanOrEqualTo(stats.at("/latency/p99_ms").asDouble());
            JsonNode edges = stats.get("edges");
            assertThat(edges).hasSize(1);
            assertThat(edges.get(0).get("from").asText()).isEqualTo("in");
            assertThat(edges.get(0).get("to").asText()).isEqualTo("out");
            assertThat(edges.get(0).get("capacity").asInt()).isEqualTo(4);
            assertThat(edges.get(0).get("depth").isInt()).isTrue();
            // the same in GET /api/tasks/{id}, and the percentiles as Prometheus gauges
            assertThat(s.get("/api/tasks/lat")
                            .json()
                            .at("/stats/latency/records")
                            .asInt())
                    .isEqualTo(3);
            String metrics = s.get("/metrics").body();
            java.util.regex.Matcher p50 = java.util.regex.Pattern.compile(
                            "dataflare_pipeline_latency_seconds\\{pipeline=\"lat\",quantile=\"p50\"} ([0-9.eE-]+)")
                    .matcher(metrics);
            assertThat(p50.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(p50.group(1))).isGreaterThanOrEqualTo(0.0198);
            t.interrupt(); // the stream goes on while the task runs; closing the server ends it
        }
    }
}
