package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.testing.PolicyModules;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** WASM policies (kind: policy) decide in real pipelines, loaded from a plugins folder. */
@Timeout(60)
class WasmPolicyTest {
    @TempDir
    Path dir;

    WasmTestKit kit;
    final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        kit = new WasmTestKit(dir);
        kit.install("shard-policies-1.0.0", wat(PolicyModules.POLICIES), manifest("shard-policies", "policy", ""));
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
        kit.inProcess().processor("flaky", () -> batch -> {
            for (Record r : batch) {
                long id = r.getLong("id");
                int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                switch ((int) (id % 5)) {
                    case 1 -> {
                        if (call == 1) throw new PluginException(ErrorClass.TIMEOUT, "slow once " + id);
                    }
                    case 2 -> throw new PluginException(ErrorClass.TIMEOUT, "always slow " + id);
                    case 3 -> throw new PluginException(ErrorClass.PLUGIN_ERROR, "broken " + id);
                    case 4 -> throw new InvalidRecordException("bad " + id);
                    default -> {}
                }
            }
            return batch;
        });
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aWasmKeyRouterSendsEachRecordToItsComputedShard() throws Exception {
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 200 } } }
                processors:
                  p: { use: tag-instance, from: in, parallelism: 3, routing: { key: id, strategy: shard-policies } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 16 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("out");
        assertThat(out).hasSize(200);
        for (Record rec : out) {
            long id = rec.getLong("id");
            assertThat(rec.getLong("instance")).as("record %d", id).isEqualTo((id / 5) % 3);
        }
    }

    @Test
    void aWasmRetryPolicyRetriesOnlyTimeoutsAndAWasmErrorPolicyRoutesByClass() throws Exception {
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 20 } } }
                processors: { p: { use: flaky, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                policies:
                  retry: { use: shard-policies }
                  errors: { on_error: shard-policies, dead_letter: { use: collect, with: { name: dlq } } }
                runtime: { batch_size: 1 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(ids(kit.collected("out"))).containsExactlyInAnyOrder(0L, 1L, 5L, 6L, 10L, 11L, 15L, 16L);
        assertThat(kit.collected("dlq").stream()
                        .map(x -> ((Number) ((Map<?, ?>) x.get("record")).get("id")).longValue())
                        .toList())
                .as("timeouts that kept failing and plugin errors are dead-lettered")
                .containsExactlyInAnyOrder(2L, 3L, 7L, 8L, 12L, 13L, 17L, 18L);
        assertThat(r.stats().skipped()).as("invalid records are skipped").isEqualTo(4);
        assertThat(calls.get(1L).get())
                .as("a timeout is retried once it passes")
                .isEqualTo(2);
        assertThat(calls.get(3L).get())
                .as("a plugin error is not retried")
                .isEqualTo(calls.get(4L).get());
        assertThat(calls.get(2L).get())
                .as("a timeout is retried after attempts 1 and 2, then given up")
                .isEqualTo(calls.get(3L).get() + 2);
    }

    static List<Long> ids(List<Record> records) {
        return records.stream().map(x -> x.getLong("id")).toList();
    }
}
