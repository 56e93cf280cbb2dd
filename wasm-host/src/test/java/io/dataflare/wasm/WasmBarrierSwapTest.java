package io.dataflare.wasm;

import static io.dataflare.engine.testing.OutputOrder.assertEveryIdOnceInOrder;
import static io.dataflare.engine.testing.OutputOrder.valuesInOrder;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.Runs;
import io.dataflare.engine.testing.TestEngines;
import io.dataflare.engine.testing.WatchedFolder;
import io.dataflare.wasm.testing.Modules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap of a WASM key router under load: each version (WAT text, its manifest in the module) sends every key
 * to one instance, a different one per version; the newer version, dropped into the watched plugins folder,
 * takes over at a barrier, so the instance that handled each record shows the one switch point, and every record
 * arrives exactly once and in order.
 */
@Timeout(120)
class WasmBarrierSwapTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final InProcessPlugins inProcess = new InProcessPlugins().add(new ProcessorFactory() {
        @Override
        public String name() {
            return "tag-instance";
        }

        @Override
        public Processor create(PluginContext ctx) {
            long instance = ctx.instance();
            return Processor.mapping(r -> r.toBuilder().set("inst", instance).build());
        }
    });
    private WatchedFolder folder;
    private io.dataflare.engine.runtime.PipelineRun run;

    @BeforeEach
    void engine() {
        folder = new WatchedFolder(dir, inProcess);
    }

    @AfterEach
    void close() throws Exception {
        folder.close();
    }

    /** A key router module that routes every key to instance {@code target} (modulo the instances). */
    private static byte[] constantRouter(String version, int target) {
        byte[] module = wat("""
                (module
                  (memory (export "memory") 1)
                  (func (export "df_alloc") (param i32) (result i32) (i32.const 1024))
                  (func (export "df_route") (param i32 i32) (param $instances i32) (result i32)
                    (i32.rem_u (i32.const %d) (local.get $instances))))
                """.formatted(target));
        return Modules.withCustomSection(
                module, "dataflare.manifest", "id: shard\nversion: " + version + "\nkind: policy\n");
    }

    private List<Record> out() {
        List<Record> l = inProcess.collected("out");
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }

    private void until(Callable<Boolean> condition) {
        await().atMost(WAIT)
                .failFast("the run ended", () -> run != null && run.state().isTerminal())
                .until(condition);
    }

    private Object lastInstance() {
        List<Record> rows = out();
        return rows.isEmpty() ? null : rows.get(rows.size() - 1).get("inst");
    }

    @Test
    void aNewerWasmKeyRouterTakesOverAtABarrierWithoutLosingOrReorderingAnyRecord() throws Exception {
        folder.write("shard.wasm", constantRouter("1.0.0", 0));
        run = folder.start(engine -> TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors:
                  p: { use: tag-instance, from: in, parallelism: 2, routing: { key: key, strategy: "shard@^1" } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """));
        until(() -> out().size() >= 2000);
        assertThat(lastInstance()).isEqualTo(0L);
        folder.write("shard-1.1.wasm", constantRouter("1.1.0", 1));
        until(() -> Long.valueOf(1).equals(lastInstance()));
        int switchedAt = out().size();
        until(() -> out().size() >= switchedAt + 2000);
        PipelineResult r = Runs.stopCleanly(run, WAIT);

        List<Record> rows = out();
        // one instance at a time and the barrier drained the first before the second got anything: the global
        // order holds, so every key's order does
        assertThat(valuesInOrder(rows, rec -> rec.get("inst"))).containsExactly(0L, 1L);
        assertEveryIdOnceInOrder(rows, rec -> rec.get("id"));
        Predicate<PluginEvent> switched =
                e -> e.kind() == PluginEvent.Kind.SWITCHED && "shard@1.1.0".equals(e.plugin());
        PluginEvent e = folder.events().stream().filter(switched).findFirst().orElseThrow();
        assertThat(e.stage()).isEqualTo("p");
        assertThat(e.detail())
                .startsWith("from shard@1.0.0; key router of 'p' switched at a barrier, pipeline paused ");
        assertThat(e.pause()).isNotNull().isPositive().isLessThan(Duration.ofSeconds(2));
        assertThat(r.switches())
                .singleElement()
                .satisfies(sw -> assertThat(sw.kind() + " " + sw.stage() + " " + sw.from() + " -> " + sw.to())
                        .isEqualTo("key router p shard@1.0.0 -> shard@1.1.0"))
                .satisfies(
                        sw -> assertThat(sw.maxPauseNanos()).isEqualTo(e.pause().toNanos()));
        System.out.printf("wasm key router swap pause: %.1f ms%n", e.pause().toNanos() / 1e6);
    }
}
