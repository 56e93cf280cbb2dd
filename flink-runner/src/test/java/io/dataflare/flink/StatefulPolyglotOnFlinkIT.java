package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processors that keep keyed state ({@code ctx.state()}) on Flink: the stock-indicator examples in JavaScript and
 * in Rust (WASM), each stock's last prices in the plugin's state, two instances each routed by stock, give the same
 * output locally and on Flink, as does the Java {@code dedupe} processor; and a JavaScript running count per key
 * keeps exact counts when a task manager dies
 * mid-job (its state comes back from Flink's checkpoint with the source's position).
 */
class StatefulPolyglotOnFlinkIT {
    private static final Path JS =
            Fixtures.ROOT.resolve("sdk-examples/scripts/javascript-stock-indicators/plugin/stock-indicators.js");
    private static final Path WASM = Fixtures.ROOT.resolve("sdk-examples/wasm/rust/rust-stock-indicators-1.0.0.wasm");
    private static final String RUNNING_COUNT = """
            export const manifest = {
              id: 'running-count', version: '1.0.0', kind: 'processor', requires: '^1.0',
              description: 'running count and sum per key', capabilities: ['state'],
            };
            export function process(batch, ctx) {
              const out = [];
              for (const r of batch) {
                const s = ctx.state.get(r.key, { n: 0, sum: 0 });
                s.n += 1;
                s.sum += r.amount;
                ctx.state.set(r.key, s);
                out.push({ id: r.id, key: r.key, n: s.n, sum: s.sum });
              }
              return out;
            }
            """;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void statefulJavaScriptAndWasmProcessorsGiveTheSameOutputLocallyAndOnFlink(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.ROOT.resolve("examples/data/ticks.csv"), dir.resolve("ticks.csv"));
        Path pipeline = dir.resolve("stocks.yaml");
        Files.writeString(pipeline, """
                name: stocks
                sources:
                  ticks: { use: csv-file, with: { path: ticks.csv, schema: { ts: timestamp, price: decimal, volume: long } } }
                processors:
                  js: { use: "%s", from: ticks, parallelism: 2, routing: { key: stock_code, strategy: sticky }, with: { timeout_ms: 10000 } }
                  wasm: { use: "%s", from: ticks, parallelism: 2, routing: { key: stock_code } }
                sinks:
                  js-out: { use: jsonl-file, from: js, with: { path: out/js.jsonl } }
                  wasm-out: { use: jsonl-file, from: wasm, with: { path: out/wasm.jsonl } }
                runtime: { batch_size: 16 }
                """.formatted(JS, WASM));
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        List<JsonNode> localJs = byStockAndTime(Fixtures.jsonLines(dir.resolve("out/js.jsonl")));
        List<JsonNode> localWasm = byStockAndTime(Fixtures.jsonLines(dir.resolve("out/wasm.jsonl")));
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(flink.failure()).isNull();
        assertThat(flink.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        List<JsonNode> flinkJs = byStockAndTime(Fixtures.jsonLines(dir.resolve("out/js.jsonl")));
        List<JsonNode> flinkWasm = byStockAndTime(Fixtures.jsonLines(dir.resolve("out/wasm.jsonl")));
        assertThat(flinkJs).hasSize(400).isEqualTo(localJs);
        assertThat(flinkWasm).hasSize(400).isEqualTo(localWasm);
        // the state was used: from a stock's fifth tick on its five-tick average is there, in both languages
        assertThat(flinkJs.get(10).path("ma5").isTextual()
                        || flinkJs.get(10).path("ma5").isNumber())
                .isTrue();
        assertThat(flinkWasm.get(10).path("ma5").isTextual()
                        || flinkWasm.get(10).path("ma5").isNumber())
                .isTrue();
        assertThat(TaskPlans.loaded()).isZero();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aJavaProcessorKeepingKeyedStateRunsOnFlinkAsLocally(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("dedupe.yaml");
        Files.writeString(pipeline, """
                name: dedupe
                sources:
                  gen: { use: generator, with: { count: 3000, keys: 37 } }
                processors:
                  first: { use: dedupe, from: gen, parallelism: 2, routing: { key: key } }
                sinks:
                  out: { use: jsonl-file, from: first, with: { path: out/first.jsonl } }
                runtime: { batch_size: 64 }
                """);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);

        PipelineResult local = Fixtures.runLocally(pipeline, plugins);
        List<JsonNode> localOut = Fixtures.jsonLines(dir.resolve("out/first.jsonl"));
        PipelineResult flink = Fixtures.runOnFlink(pipeline, plugins, null);

        assertThat(flink.failure()).isNull();
        assertThat(Fixtures.counts(flink)).isEqualTo(Fixtures.counts(local));
        List<JsonNode> flinkOut = Fixtures.jsonLines(dir.resolve("out/first.jsonl"));
        // each key's first record once: the keys seen are the dedupe processor's keyed state
        assertThat(flinkOut).hasSize(37);
        assertThat(byId(flinkOut)).isEqualTo(byId(localOut));
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void keyedStateIsRestoredExactlyAfterATaskManagerDies(@TempDir Path dir) throws Exception {
        int records = 40_000;
        int keys = 50;
        Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(dir.resolve("plugins/running_count.js"), RUNNING_COUNT);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("in.csv"))) {
            w.write("id,key,amount\n");
            for (int id = 0; id < records; id++) w.write(id + ",k" + (id * 7919 % keys) + "," + (id % 100) + "\n");
        }
        Path pipeline = dir.resolve("counts.yaml");
        Files.writeString(pipeline, """
                name: counts
                sources:
                  in: { use: csv-file, with: { path: in.csv, schema: { id: long, key: string, amount: long } } }
                processors:
                  slow: { use: delay, from: in, with: { per_record_us: 150 } }
                  count: { use: running-count@^1, from: slow, parallelism: 2, routing: { key: key }, with: { timeout_ms: 10000 } }
                sinks:
                  out: { use: jsonl-file, from: count, with: { path: out/counts.jsonl } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 200 }
                """);
        List<Path> plugins = List.of(Fixtures.BUILT_INS, dir.resolve("plugins"));
        Path out = dir.resolve("out/counts.jsonl");

        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster cluster = MidJob.twoTaskManagers()) {
            cluster.start();
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);
            JobID job = runner.submit(cluster);
            MidJob.awaitOutput(out, records / 3, records, Duration.ofSeconds(150), MidJob.running(cluster, job));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            PipelineResult result = runner.await(cluster, job);

            assertThat(result.failure()).isNull();
            assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
        }
        List<JsonNode> written = Fixtures.jsonLines(out);
        assertThat(written).as("every record once").hasSize(records);
        // each key's n-th record (in id order: one key is read in order by one instance) has count n and the
        // sum of the amounts so far: a lost or doubled state update after the restore would shift them
        long[] n = new long[keys];
        long[] sum = new long[keys];
        for (JsonNode r : written.stream()
                .sorted(Comparator.comparingLong(j -> j.get("id").asLong()))
                .toList()) {
            long id = r.get("id").asLong();
            int k = (int) (id * 7919 % keys);
            n[k]++;
            sum[k] += id % 100;
            assertThat(r.get("key").asText()).isEqualTo("k" + k);
            assertThat(r.get("n").asLong()).as("count of record %d", id).isEqualTo(n[k]);
            assertThat(r.get("sum").asLong()).as("sum of record %d", id).isEqualTo(sum[k]);
        }
        assertThat(TaskPlans.loaded()).isZero();
    }

    private static List<JsonNode> byId(List<JsonNode> lines) {
        return lines.stream()
                .sorted(Comparator.comparingLong(n -> n.get("id").asLong()))
                .toList();
    }

    private static List<JsonNode> byStockAndTime(List<JsonNode> lines) {
        return lines.stream()
                .sorted(Comparator.comparing((JsonNode n) -> n.get("stock_code").asText())
                        .thenComparing(n -> n.get("ts").asText()))
                .toList();
    }
}
