package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.runtime.PipelineResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What cannot run on Flink is found before anything runs, each with its line and reason; the rest maps. */
@Timeout(180)
class FlinkSupportIT {
    private static final Path SHARD_ROUTER = Fixtures.ROOT.resolve("sdk-examples/scripts/javascript-key-router/plugin");

    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        Path p = dir.resolve("p.yaml");
        Files.writeString(p, yaml);
        List<Path> plugins = List.of(Fixtures.BUILT_INS, SHARD_ROUTER);
        try (Engine engine = Fixtures.engine(plugins)) {
            return FlinkSupport.problems(engine.load(p)).stream()
                    .map(Problem::toString)
                    .toList();
        }
    }

    @Test
    void elasticParallelismAdaptiveBatchingIdleStopAndRouterPluginsAreRefusedWithTheirReasons() throws Exception {
        List<String> problems = problems("""
                sources: { gen: { use: generator, with: { count: 10 } } }
                processors:
                  a: { use: map, from: gen, routing: { key: key }, parallelism: { min: 1, max: 4 }, with: { set: { x: "1" } } }
                  b: { use: map, from: a, parallelism: 2, routing: { key: key, strategy: shard }, with: { set: { y: "2" } } }
                sinks: { out: { use: jsonl-file, from: b, with: { path: out/x.jsonl } } }
                runtime: { batch: { adaptive: true }, stop_when_idle_ms: 1000 }
                """);

        assertThat(problems).hasSize(4);
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("p.yaml:")
                        .contains("runtime.batch (adaptive batching) is not supported with --engine flink"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("runtime.stop_when_idle_ms is not supported"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("p.yaml:3:").contains("processor 'a': elastic parallelism"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("p.yaml:4:")
                        .contains("processor 'b': routing.strategy 'shard' (shard@1.0.0) cannot run on Flink"));
    }

    @Test
    void roundRobinRunsAsRebalanceAndLosesNoRecord() throws Exception {
        Path p = dir.resolve("rr.yaml");
        Files.writeString(p, """
                sources: { gen: { use: generator, with: { count: 2000, keys: 3 } } }
                processors:
                  a: { use: map, from: gen, parallelism: 2, routing: { key: key, strategy: round_robin }, with: { set: { x: "id * 2" } } }
                sinks: { out: { use: jsonl-file, from: a, with: { path: out/rr.jsonl } } }
                runtime: { batch_size: 50 }
                """);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        assertThat(problems(Files.readString(p))).isEmpty();

        PipelineResult local = Fixtures.runLocally(p, plugins);
        List<JsonNode> localOut = sorted(Fixtures.jsonLines(dir.resolve("out/rr.jsonl")));
        PipelineResult flink = Fixtures.runOnFlink(p, plugins, null);

        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        assertThat(sorted(Fixtures.jsonLines(dir.resolve("out/rr.jsonl"))))
                .hasSize(2000)
                .isEqualTo(localOut);
        // the stage ran with its two instances, fed in turn (rebalance)
        assertThat(flink.stats().stages().get(1).instances()).isEqualTo(2);
    }

    private static List<JsonNode> sorted(List<JsonNode> lines) {
        return lines.stream()
                .sorted(Comparator.comparingLong(n -> n.get("id").asLong()))
                .toList();
    }
}
