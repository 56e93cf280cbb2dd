package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's guarantees, exercised with the real plugin JARs loaded by PF4J from the distribution's plugins folder. */
@Timeout(120)
class RealPluginPipelinesIT {
    @TempDir
    Path dir;

    private final Engine engine = Distribution.engine();

    @AfterEach
    void close() {
        engine.close();
    }

    private PipelineRun start(String yaml) {
        return engine.start(engine.load(yaml, dir.resolve("p.yaml").toString(), ConfigReader.Format.YAML, dir));
    }

    private List<JsonNode> lines(String file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(file))) out.add(Distribution.JSON.readTree(l));
        return out;
    }

    @Test
    void keyRoutingWithParallelismKeepsPerKeyOrder() throws Exception {
        PipelineResult r = start("""
                sources: { gen: { use: generator, with: { count: 50000, keys: 17 } } }
                processors:
                  jitter: { use: delay, from: gen, parallelism: 4, with: { per_record_us: 1 } }
                sinks: { out: { use: jsonl-file, from: jitter, with: { path: keyed.jsonl } } }
                policies: { routing: { key: key, strategy: hash } }
                runtime: { batch_size: 200 }
                """).await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        Map<String, Long> last = new HashMap<>();
        List<JsonNode> out = lines("keyed.jsonl");
        assertThat(out).hasSize(50000);
        for (JsonNode n : out) {
            Long prev = last.put(n.get("key").asText(), n.get("id").asLong());
            assertThat(prev == null || prev < n.get("id").asLong())
                    .as("key %s: %s after %s", n.get("key"), n.get("id"), prev)
                    .isTrue();
        }
        assertThat(last).hasSize(17);
    }

    @Test
    void fanOutAndFanInWithConservation() throws Exception {
        PipelineResult r = start("""
                sources: { gen: { use: generator, with: { count: 10000 } } }
                processors:
                  evens: { use: filter, from: gen, with: { expr: "id % 2 == 0" } }
                  tagged: { use: map, from: gen, with: { set: { tag: "'all'" } } }
                sinks:
                  merged: { use: jsonl-file, from: [evens, tagged], with: { path: merged.jsonl } }
                  ids: { use: csv-file, from: evens, with: { path: evens.csv } }
                """).await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(lines("merged.jsonl")).hasSize(15000);
        assertThat(Files.readAllLines(dir.resolve("evens.csv"))).hasSize(5000 + 1);
        var s = r.stats();
        assertThat(s.recordsIn()).isEqualTo(10000);
        assertThat(s.recordsOut()).isEqualTo(20000);
        assertThat(s.filtered()).isEqualTo(5000);
        assertThat(s.derived()).isEqualTo(10000 + 5000);
        assertThat(s.balanced()).isTrue();
    }

    @Test
    void retryThenDeadLetter() throws Exception {
        PipelineResult r = start("""
                sources: { gen: { use: generator, with: { count: 2000, keys: 50 } } }
                processors:
                  flaky: { use: flaky, from: gen, with: { failures: 2 } }
                  bad: { use: fail, from: flaky, with: { field: key, equals: k7, mode: throw } }
                sinks: { out: { use: jsonl-file, from: bad, with: { path: good.jsonl } } }
                policies:
                  retry: { use: exponential-backoff, with: { max_attempts: 3, initial_ms: 1, max_ms: 5 } }
                  errors:
                    on_error: dead-letter
                    dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } }
                runtime: { batch_size: 100 }
                """).await();
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(lines("good.jsonl")).hasSize(2000 - 40);
        List<JsonNode> dlq = lines("dlq.jsonl");
        assertThat(dlq).hasSize(40).allSatisfy(d -> {
            assertThat(d.get("record").get("key").asText()).isEqualTo("k7");
            assertThat(d.get("stage").asText()).isEqualTo("bad");
            assertThat(d.get("plugin").asText()).isEqualTo("dataflare-testing@1.1.0");
            assertThat(d.get("attempts").asInt()).isEqualTo(4);
            assertThat(d.get("error").asText()).contains("k7");
        });
        assertThat(r.stats().retries())
                .as("2 flaky retries + 2 per failing batch")
                .isEqualTo(2 + 20 * 2);
        assertThat(r.stats().balanced()).isTrue();
    }

    @Test
    void abortFailsWithTheReasonAndExitCode1() throws Exception {
        Path p = Files.writeString(dir.resolve("abort.yaml"), """
                sources: { gen: { use: generator, with: { count: 100000 } } }
                processors: { bad: { use: fail, from: gen, with: { field: id, equals: "1234" } } }
                sinks: { out: { use: jsonl-file, from: bad, with: { path: out.jsonl } } }
                policies: { errors: { on_error: abort } }
                """);
        Distribution.Cli cli = Distribution.cli("run", p.toString(), "--json", "--state", "memory:");
        assertThat(cli.exit()).isEqualTo(1);
        JsonNode s = cli.json();
        assertThat(s.get("status").asText()).isEqualTo("FAILED");
        assertThat(s.get("error").asText())
                .contains("stage 'bad'")
                .contains("dataflare-testing@1.1.0")
                .contains("id=1234");
    }

    @Test
    void pauseResumeStop() throws Exception {
        PipelineRun run = start("""
                sources: { gen: { use: generator, with: { count: -1 } } }
                sinks: { out: { use: discard, from: gen, with: { delay_ms: 2 } } }
                runtime: { batch_size: 100, queue_batches: 2 }
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> run.stats().recordsOut() > 2000);
        run.pause();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> run.stats().recordsOut() == run.stats().recordsIn());
        long paused = run.stats().recordsIn();
        Thread.sleep(300);
        assertThat(run.stats().recordsIn()).isEqualTo(paused);
        assertThat(run.state()).isEqualTo(PipelineState.PAUSED);
        run.resume();
        await().atMost(Duration.ofSeconds(20)).until(() -> run.stats().recordsOut() > paused + 2000);
        run.stop();
        PipelineResult r = run.await(Duration.ofSeconds(30));
        assertThat(r.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(r.stats().recordsOut()).isEqualTo(r.stats().recordsIn());
    }
}
