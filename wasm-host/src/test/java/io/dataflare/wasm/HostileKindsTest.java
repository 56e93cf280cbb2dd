package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.wasm.testing.CapturingLogger;
import io.dataflare.wasm.testing.GrantedTestContext;
import io.dataflare.wasm.testing.PolicyModules;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile sources and policies: a poll that never returns, policies that loop. Each is cut off by its time
 * limit, reported with the plugin's id, and no record is lost or doubled.
 */
@Timeout(60)
class HostileKindsTest {
    @TempDir
    Path dir;

    WasmTestKit kit;

    @BeforeEach
    void setUp() {
        kit = new WasmTestKit(dir);
        kit.install(
                "looping-1.0.0",
                wat(PolicyModules.LOOPING_POLICIES),
                manifest(
                        "looping",
                        "policy",
                        // its own default time limit: error policies and routers take no options in a pipeline
                        "config: { timeout_ms: { type: long, default: 100 } }\n"));
        kit.inProcess().processor("fails-on-3", () -> batch -> {
            for (Record r : batch)
                if (r.getLong("id") % 5 == 3) throw new PluginException(ErrorClass.TIMEOUT, "slow " + r.getLong("id"));
            return batch;
        });
    }

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aSourceThatNeverReturnsFromPollTimesOutAndItsRetriesResumeWhereItWas() throws Exception {
        kit.install(
                "counter-hang-1.0.0",
                wat(PolicyModules.counter(1000, 500, true)),
                manifest("counter-hang", "source", ""));
        PipelineResult r = kit.run("""
                sources: { in: { use: counter-hang, with: { timeout_ms: 200 } } }
                sinks: { out: { use: collect, from: in, with: { name: out } } }
                policies: { retry: { use: fixed-retry, with: { max_attempts: 3 } } }
                runtime: { batch_size: 50 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("counter-hang@1.0.0").contains("time limit of 200 ms");
        assertThat(r.stats().timeouts()).as("every attempt timed out").isEqualTo(3);
        // each retry gets a new instance sought to the last position delivered: nothing polled twice
        assertThat(kit.collected("out").stream().map(x -> x.getLong("id")).toList())
                .containsExactlyElementsOf(LongStream.range(0, 500).boxed().toList());
    }

    @Test
    void aRetryPolicyThatLoopsGivesUpSoTheErrorPolicyGetsEveryFailedRecord() throws Exception {
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: fails-on-3, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                policies:
                  retry: { use: looping, with: { timeout_ms: 100 } }
                  errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } }
                runtime: { batch_size: 1 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Long> all = new ArrayList<>(
                kit.collected("out").stream().map(x -> x.getLong("id")).toList());
        kit.collected("dlq").forEach(x -> all.add(((Number) ((Map<?, ?>) x.get("record")).get("id")).longValue()));
        assertThat(all).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(kit.collected("dlq")).hasSize(2);
    }

    @Test
    void aRetryPolicyThatLoopsIsReportedWithItsId() throws Exception {
        try (LoadedPlugin p = PluginLoaders.file(dir.resolve("looping-1.0.0.wasm"))) {
            PluginFactory<?> f = p.components().stream()
                    .filter(c -> c.kind() == io.dataflare.api.ComponentKind.RETRY_POLICY)
                    .findFirst()
                    .orElseThrow();
            CapturingLogger log = new CapturingLogger();
            RetryPolicy retry =
                    (RetryPolicy) f.create(GrantedTestContext.of(f, Map.of("timeout_ms", 100), dir, List.of())
                            .withLogger(log));
            assertThat(retry.nextDelay(new Failure("timeout", "slow", null, 1, "p", "x@1.0.0")))
                    .isEmpty();
            assertThat(log.messages())
                    .singleElement()
                    .asString()
                    .contains("looping@1.0.0")
                    .contains("time limit of 100 ms");
            ((AutoCloseable) retry).close();
        }
    }

    @Test
    void anErrorPolicyThatLoopsStopsTheRunNamingIt() throws Exception {
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: fails-on-3, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                policies: { errors: { on_error: looping } }
                runtime: { batch_size: 1 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("looping@1.0.0").contains("time limit of 100 ms");
        assertThat(r.stats().skipped() + r.stats().deadLettered())
                .as("the record it could not decide on is neither skipped nor dead-lettered")
                .isZero();
    }

    @Test
    void aKeyRouterThatLoopsStopsTheRunNamingIt() throws Exception {
        kit.inProcess().processor("identity", () -> b -> b);
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { p: { use: identity, from: in, parallelism: 2, routing: { key: id, strategy: looping } } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("looping@1.0.0").contains("time limit of 100 ms");
        assertThat(kit.collected("out")).isEmpty();
    }
}
