package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed pipeline with a JavaScript and a WASM processor (the SDK examples), two instances each, routed by key:
 * on Flink (keyBy) the same records come out as locally, and the counts mean the same.
 */
@Timeout(240)
class KeyedPolyglotOnFlinkIT {
    private static final Path JS = Fixtures.ROOT.resolve("sdk-examples/scripts/javascript-processor/plugin");
    private static final Path WASM = Fixtures.ROOT.resolve("sdk-examples/wasm/assemblyscript");

    @Test
    void givesTheSameOutputLocallyAndOnFlink(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("keyed.yaml");
        Files.writeString(pipeline, """
                name: keyed-polyglot
                sources:
                  gen: { use: generator, with: { count: 3000, keys: 37 } }
                processors:
                  mask: { use: redact@^1, from: gen, parallelism: 2, routing: { key: key }, with: { fields: [name], keep: 1 } }
                  square: { use: as-square, from: mask, parallelism: 2, routing: { key: key, strategy: sticky } }
                sinks:
                  out: { use: jsonl-file, from: square, with: { path: out/keyed.jsonl } }
                runtime: { batch_size: 100 }
                """);
        List<Path> plugins = List.of(Fixtures.BUILT_INS, JS, WASM);
        Path out = dir.resolve("out/keyed.jsonl");

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        List<JsonNode> localOut = sortedById(Fixtures.jsonLines(out));
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(flink.failure()).isNull();
        assertThat(flink.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        List<JsonNode> flinkOut = sortedById(Fixtures.jsonLines(out));
        assertThat(flinkOut).hasSize(3000).isEqualTo(localOut);
        // both plugins ran on every record
        assertThat(flinkOut.get(12).get("square").asLong()).isEqualTo(144);
        assertThat(flinkOut.get(12).get("masked").asLong()).isEqualTo(1);
        assertThat(TaskPlans.loaded()).isZero();
    }

    private static List<JsonNode> sortedById(List<JsonNode> lines) {
        return lines.stream()
                .sorted(Comparator.comparingLong(n -> n.get("id").asLong()))
                .toList();
    }
}
