package io.dataflare.sdk.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy examples (C, Rust, AssemblyScript; manifest kind: policy) and the resumable C source, as
 * committed (or as rebuild.sh just rebuilt them), loaded from a plugins folder and run in pipelines.
 */
@Timeout(60)
class SdkKindsTest {
    @TempDir
    Path plugins;

    WasmTestKit kit;
    final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        if (kit != null) kit.close();
    }

    private WasmTestKit kit(String module) {
        if (kit != null) kit.close();
        calls.clear();
        kit = new WasmTestKit(plugins.resolve(Path.of(module).getFileName() + "-" + runs.incrementAndGet()));
        kit.install(Path.of(module));
        kit.inProcess().add(new ProcessorFactory() {
            @Override
            public String name() {
                return "tag-instance";
            }

            @Override
            public Processor create(PluginContext ctx) {
                return batch -> {
                    RecordBatch.Builder b = RecordBatch.builder(batch.size());
                    for (Record r : batch)
                        b.add(r.toBuilder()
                                .set("instance", (long) ctx.instance())
                                .build());
                    return b.build();
                };
            }
        });
        // id % 4: 1 times out once, 2 always times out, 3 is invalid
        kit.inProcess().processor("flaky", () -> batch -> {
            for (Record r : batch) {
                long id = r.getLong("id");
                int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                switch ((int) (id % 4)) {
                    case 1 -> {
                        if (call == 1) throw new PluginException(ErrorClass.TIMEOUT, "slow once");
                    }
                    case 2 -> throw new PluginException(ErrorClass.TIMEOUT, "always slow");
                    case 3 -> throw new InvalidRecordException("bad");
                    default -> {}
                }
            }
            return batch;
        });
        return kit;
    }

    /** FNV-1a of the key's JSON text, as the C and Rust routers compute it. */
    static int fnvShard(Object key, int instances) {
        int h = 0x811c9dc5;
        for (byte b : ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 16777619;
        }
        return (int) (Integer.toUnsignedLong(h) % instances);
    }

    private void routesEveryRecordTo(String module, String id, String key, ToIntBiFunction<Record, Integer> expected)
            throws Exception {
        PipelineResult r = kit(module).run("""
                sources: { in: { use: seq, with: { count: 120, keys: 7 } } }
                processors:
                  p: { use: tag-instance, from: in, parallelism: 3, routing: { key: %s, strategy: %s } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 16 }
                """.formatted(key, id));
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("out");
        assertThat(out).hasSize(120);
        for (Record rec : out)
            assertThat(rec.getLong("instance")).as("%s", rec).isEqualTo((long) expected.applyAsInt(rec, 3));
        assertThat(out.stream().map(x -> x.getLong("instance")).distinct().count())
                .as("the keys spread over the instances")
                .isGreaterThan(1);
    }

    private PipelineResult retriesAndErrors(String module, String id) throws Exception {
        return kit(module).run("""
                sources: { in: { use: seq, with: { count: 16 } } }
                processors: { p: { use: flaky, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                policies:
                  retry: { use: %s }
                  errors: { on_error: %s, dead_letter: { use: collect, with: { name: dlq } } }
                runtime: { batch_size: 1 }
                """.formatted(id, id));
    }

    private static List<Long> ids(List<Record> records) {
        return records.stream().map(x -> x.getLong("id")).sorted().toList();
    }

    private static List<Long> deadIds(List<Record> records) {
        return records.stream()
                .map(x -> ((Number) ((Map<?, ?>) x.get("record")).get("id")).longValue())
                .sorted()
                .toList();
    }

    @Test
    void cPoliciesShardByFnvRetryTimeoutsAndSkipInvalidRecords() throws Exception {
        routesEveryRecordTo("c/c-policies-1.0.0.wasm", "c-policies", "key", (r, n) -> fnvShard(r.getString("key"), n));
        PipelineResult r = retriesAndErrors("c/c-policies-1.0.0.wasm", "c-policies");
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids(kit.collected("out"))).containsExactly(0L, 1L, 4L, 5L, 8L, 9L, 12L, 13L);
        assertThat(deadIds(kit.collected("dlq"))).containsExactly(2L, 6L, 10L, 14L);
        assertThat(r.stats().skipped()).isEqualTo(4);
        assertThat(calls.get(1L)).hasValue(2);
        assertThat(calls.get(2L).get())
                .as("3 attempts, then given up")
                .isEqualTo(calls.get(3L).get() + 2);
    }

    @Test
    void rustPoliciesShardByFnvRetryTimeoutsAndSkipInvalidRecords() throws Exception {
        routesEveryRecordTo(
                "rust/rust-policies-1.0.0.wasm", "rust-policies", "key", (r, n) -> fnvShard(r.getString("key"), n));
        PipelineResult r = retriesAndErrors("rust/rust-policies-1.0.0.wasm", "rust-policies");
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids(kit.collected("out"))).containsExactly(0L, 1L, 4L, 5L, 8L, 9L, 12L, 13L);
        assertThat(deadIds(kit.collected("dlq"))).containsExactly(2L, 6L, 10L, 14L);
        assertThat(r.stats().skipped()).isEqualTo(4);
        assertThat(calls.get(2L).get())
                .as("4 attempts, then given up")
                .isEqualTo(calls.get(3L).get() + 3);
    }

    @Test
    void assemblyScriptPoliciesRouteNumericKeysRetryWithBackoffAndDeadLetterTheRest() throws Exception {
        routesEveryRecordTo(
                "assemblyscript/as-policies-1.0.0.wasm", "as-policies", "id", (r, n) -> (int) (r.getLong("id") % n));
        PipelineResult r = retriesAndErrors("assemblyscript/as-policies-1.0.0.wasm", "as-policies");
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids(kit.collected("out"))).containsExactly(0L, 1L, 4L, 5L, 8L, 9L, 12L, 13L);
        assertThat(deadIds(kit.collected("dlq"))).containsExactly(2L, 3L, 6L, 7L, 10L, 11L, 14L, 15L);
        assertThat(calls.get(2L).get())
                .as("4 attempts, then given up")
                .isEqualTo(calls.get(3L).get() + 3);
    }

    @Test
    void theCCountSourceResumesFromACheckpointWithEveryRecordOnce() throws Exception {
        WasmTestKit k = kit("c/c-count-1.0.0.wasm");
        AtomicInteger delay = new AtomicInteger(1);
        k.inProcess().processor("slow", () -> b -> {
            Thread.sleep(delay.get());
            return b;
        });
        CheckpointStore store = new CheckpointStore(new MemoryStateStore());
        String pipeline = """
                name: c-count-resume
                sources: { in: { use: c-count, with: { count: 20000 } } }
                processors: { p: { use: slow, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 50, checkpoint_interval_ms: 20 }
                """;
        PipelineRun first = k.engine()
                .start(
                        k.engine().load(pipeline, "c.yaml", ConfigReader.Format.YAML, plugins),
                        new RunOptions(store, true, "c-count-resume"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.load("c-count-resume").map(Checkpoint::id).orElse(0L) >= 3);
        first.cancel();
        first.await();
        long at = Long.parseLong((String)
                store.load("c-count-resume").orElseThrow().sources().get("in").get("wasm"));
        assertThat(at).isBetween(1L, 19_999L);
        delay.set(0);
        PipelineRun second = k.engine()
                .start(
                        k.engine().load(pipeline, "c.yaml", ConfigReader.Format.YAML, plugins),
                        new RunOptions(store, true, "c-count-resume"));
        PipelineResult r = second.await();
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(r.stats().recordsIn()).isEqualTo(20_000 - at);
        List<Record> out = k.collected("out");
        assertThat(out).hasSize(20_000);
        assertThat(out.stream().map(x -> x.getLong("n")).distinct().count()).isEqualTo(20_000);
    }
}
