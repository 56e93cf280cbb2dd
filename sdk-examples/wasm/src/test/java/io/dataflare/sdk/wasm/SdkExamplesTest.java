package io.dataflare.sdk.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example module, as committed (or as rebuild.sh just rebuilt it), loaded from a plugins folder
 * through the registry and run in a pipeline: seq -> example -> collect.
 */
@Timeout(60)
class SdkExamplesTest {
    @TempDir
    Path plugins;

    WasmTestKit kit;

    @AfterEach
    void close() {
        kit.close();
    }

    private List<Record> run(String module, String use, String with, int count) throws Exception {
        if (kit != null) kit.close();
        kit = new WasmTestKit(plugins.resolve(use));
        kit.install(Path.of(module));
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: %d, keys: 3 } } }
                processors: { p: { use: %s, from: in, with: %s } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                runtime: { batch_size: 40 }
                """.formatted(count, use, with));
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        return kit.collected("out");
    }

    @Test
    void cTagAddsParityAndLabelAndDropsIdsEndingIn4Or9() throws Exception {
        List<Record> out = run("c/c-tag-1.0.0.wasm", "c-tag", "{ prefix: 'n-' }", 100);
        assertThat(out).hasSize(80);
        Record r = out.stream().filter(x -> x.getLong("id") == 7).findFirst().orElseThrow();
        assertThat(r.asMap())
                .containsEntry("parity", "odd")
                .containsEntry("label", "n-7")
                .containsEntry("key", "k1");
        assertThat(out).noneMatch(x -> x.getLong("id") % 5 == 4);
        assertThat(out.stream()
                        .filter(x -> x.getLong("id") == 10)
                        .findFirst()
                        .orElseThrow()
                        .getString("parity"))
                .isEqualTo("even");
    }

    @Test
    void cCountIsASource() throws Exception {
        kit = new WasmTestKit(plugins.resolve("count"));
        kit.install(Path.of("c/c-count-1.0.0.wasm"));
        PipelineResult r = kit.run("""
                sources: { in: { use: c-count, with: { count: 2500 } } }
                sinks: { out: { use: collect, from: in, with: { name: out } } }
                runtime: { batch_size: 1000 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("out");
        assertThat(out).hasSize(2500);
        assertThat(out.get(2499).asMap()).containsEntry("n", 2499L).containsEntry("square", 2499L * 2499L);
    }

    @Test
    void cCheckIsASinkThatRejectsToTheErrorPolicy() throws Exception {
        kit = new WasmTestKit(plugins.resolve("check"));
        kit.install(Path.of("c/c-check-1.0.0.wasm"));
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 50 } } }
                sinks: { out: { use: c-check, from: in, with: { max_id: 39 } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } } }
                runtime: { batch_size: 16 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> dlq = kit.collected("dlq");
        assertThat(dlq.stream()
                        .map(x -> ((Number) ((java.util.Map<?, ?>) x.get("record")).get("id")).longValue())
                        .sorted()
                        .toList())
                .containsExactly(40L, 41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L);
        assertThat(dlq).allSatisfy(x -> assertThat(x.getString("error")).contains("id above max_id"));
    }

    @Test
    void assemblyScriptSquareAddsSquareAndKeyLength() throws Exception {
        List<Record> out = run("assemblyscript/as-square-1.0.0.wasm", "as-square", "{}", 120);
        assertThat(out).hasSize(120).allSatisfy(r -> {
            long id = r.getLong("id");
            assertThat(r.getLong("square")).isEqualTo(id * id);
            assertThat(r.getLong("key_length")).isEqualTo(2);
        });
    }

    @Test
    void rustKeysUppercasesAndCountsPerKeyInState() throws Exception {
        List<Record> out = run("rust/rust-keys-1.0.0.wasm", "rust-keys", "{}", 90);
        assertThat(out).hasSize(90);
        Record last =
                out.stream().filter(x -> x.getLong("id") == 89).findFirst().orElseThrow();
        assertThat(last.getString("key_upper")).isEqualTo("K2");
        assertThat(last.getLong("seen"))
                .as("30 records per key, counted across batches")
                .isEqualTo(30);
    }

    @Test
    void benchmarkModulesAgreeInEveryEncodingAndMode() throws Exception {
        for (String[] m : new String[][] {
            {"bench/bench-binary-1.0.0.wasm", "bench-binary", "{}"},
            {"bench/bench-json-1.0.0.wasm", "bench-json", "{ mode: interpreted }"},
            {"bench/bench-extism-1.0.0.wasm", "bench-extism", "{ function: double }"}
        }) {
            List<Record> out = run(m[0], m[1], m[2], 50);
            assertThat(out)
                    .as(m[1])
                    .hasSize(50)
                    .allSatisfy(r -> assertThat(r.getLong("n2")).isEqualTo(2 * r.getLong("id")));
        }
    }

    @Test
    void aPluginBuiltWithExtismsAssemblyScriptPdkRunsUnchanged() throws Exception {
        List<Record> out = run(
                "extism-as/extism-shout-1.0.0.wasm",
                "extism-shout",
                "{ function: shout, input: 'field:key', output: 'field:loud', config: { suffix: '?!' } }",
                12);
        assertThat(out)
                .hasSize(12)
                .allSatisfy(r -> assertThat(r.getString("loud"))
                        .isEqualTo(r.getString("key").toUpperCase() + "?!"));
    }

    @Test
    void extismGreetRunsPerRecordWithConfig() throws Exception {
        List<Record> out = run(
                "extism-c/extism-greet-1.0.0.wasm",
                "extism-greet",
                "{ function: greet, input: 'field:key', output: 'field:greeting', config: { greeting: hi } }",
                10);
        assertThat(out)
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.getString("greeting")).isEqualTo("hi, " + r.getString("key") + "!"));
    }
}
