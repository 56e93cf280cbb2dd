package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.IDENTITY;
import static io.dataflare.wasm.testing.Modules.OUTPUT;
import static io.dataflare.wasm.testing.Modules.abi;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules that misbehave: each is contained (the batch fails, named with the plugin), its records
 * reach the dead-letter sink, nothing is lost, and a healthy pipeline runs afterwards on the same
 * engine. The limit is 200 ms; a batch of two records means at most three calls (the batch, then
 * each record alone), so each run must end within 3 x 200 ms + 1 s.
 */
@Timeout(30)
class HostileModuleTest {
    private static final int LIMIT_MS = 200;
    private static final int RECORDS = 2;

    @TempDir
    Path dir;

    WasmTestKit kit;

    @AfterEach
    void close() {
        kit.close();
    }

    private void assertContained(String wat, String errorClass, String messagePart) throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("hostile-1.0.0", wat(wat), manifest("hostile", "processor", ""));
        kit.install("healthy-1.0.0", wat(IDENTITY), manifest("healthy", "processor", ""));
        long t0 = System.nanoTime();
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: %d } } }
                processors: { p: { use: hostile, from: in, with: { timeout_ms: %d, max_memory_pages: 16 } } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } } }
                runtime: { batch_size: %d }
                """.formatted(RECORDS, LIMIT_MS, RECORDS));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> dlq = kit.collected("dlq");
        assertThat(kit.collected("out")).isEmpty();
        assertThat(dlq).as("every record reaches the error policy").hasSize(RECORDS);
        assertThat(dlq.stream().map(d -> d.getMap("record").get("id"))).containsExactlyInAnyOrder(0L, 1L);
        for (Record d : dlq) {
            assertThat(d.getString("error_class")).isEqualTo(errorClass);
            assertThat(d.getString("error")).contains("hostile@1.0.0").contains(messagePart);
        }
        assertThat(r.stats().balanced()).isTrue();
        assertThat(ms).as("contained within the time limit").isLessThan(3L * LIMIT_MS + 1000);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertHealthyPipelineRuns();
    }

    private void assertHealthyPipelineRuns() throws Exception {
        PipelineResult ok = kit.run("""
                sources: { in: { use: seq, with: { count: 100 } } }
                processors: { p: { use: healthy, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: healthy } } }
                """);
        assertThat(ok.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("healthy")).hasSize(100);
    }

    @Test
    void infiniteLoop() throws Exception {
        assertContained(abi("", """
                (func (export "df_process") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0))
                """), "timeout", "exceeded the time limit of 200 ms");
    }

    @Test
    void infiniteLoopInTheStartFunction() throws Exception {
        assertContained(abi("", """
                (func $spin (loop $l (br $l)))
                (start $spin)
                (func (export "df_process") (param i32 i32) (result i32) (i32.const 0))
                """), "timeout", "instantiate exceeded the time limit");
    }

    @Test
    void memoryGrowBomb() throws Exception {
        assertContained(abi("", """
                (func (export "df_process") (param i32 i32) (result i32)
                  (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
                  unreachable)
                """), "limit", "memory at the limit");
    }

    @Test
    void unboundedRecursion() throws Exception {
        assertContained(abi("", """
                (func $down (param i64) (result i64) (call $down (i64.add (local.get 0) (i64.const 1))))
                (func (export "df_process") (param i32 i32) (result i32) (drop (call $down (i64.const 0))) (i32.const 0))
                """), "limit", "call stack exhausted");
    }

    @Test
    void unreachableTrap() throws Exception {
        assertContained(abi("", """
                (func (export "df_process") (param i32 i32) (result i32) unreachable)
                """), "plugin_error", "trapped");
    }

    @Test
    void outOfBoundsAccess() throws Exception {
        assertContained(abi("", """
                (func (export "df_process") (param i32 i32) (result i32) (i32.load (i32.const 0x7ffffff0)))
                """), "plugin_error", "out of bounds");
    }

    @Test
    void absurdOutputLength() throws Exception {
        assertContained(abi(OUTPUT, """
                (func (export "df_process") (param i32 i32) (result i32) (call $output (i32.const 0) (i32.const 0x7fffffff)) (i32.const 0))
                """), "limit", "output of 2147483647 bytes exceeds the limit");
    }

    @Test
    void importOfANonGrantedHostFunctionFailsTheLoad() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install(
                "sneaky-1.0.0",
                wat(abi("(import \"dataflare\" \"log\" (func (param i32 i32 i32)))", """
                (func (export "df_process") (param i32 i32) (result i32) (i32.const 0))
                """)),
                manifest("sneaky", "processor", ""));
        kit.install(
                "escape-1.0.0",
                wat(abi("(import \"env\" \"system\" (func (param i32) (result i32)))", """
                (func (export "df_process") (param i32 i32) (result i32) (i32.const 0))
                """)),
                manifest("escape", "processor", "capabilities: [log, state]\n"));
        kit.install("healthy-1.0.0", wat(IDENTITY), manifest("healthy", "processor", ""));
        assertThat(failure("sneaky-1.0.0.wasm"))
                .contains("sneaky@1.0.0")
                .contains("dataflare.log")
                .contains("add 'log' to the manifest's capabilities");
        assertThat(failure("escape-1.0.0.wasm"))
                .contains("escape@1.0.0")
                .contains("env.system")
                .contains("not granted");
        assertRefused("sneaky");
        assertHealthyPipelineRuns();
    }

    @Test
    void aFileThatIsNotWasmOrHasNoManifestFailsTheLoad() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install(
                "garbage-1.0.0",
                "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8),
                manifest("garbage", "processor", ""));
        kit.install("nameless", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 42}, null);
        kit.install("anonymous", wat(IDENTITY), null);
        kit.install("healthy-1.0.0", wat(IDENTITY), manifest("healthy", "processor", ""));
        assertThat(failure("garbage-1.0.0.wasm")).contains("garbage@1.0.0").contains("not a valid WebAssembly module");
        assertThat(failure("nameless.wasm")).contains("nameless.wasm").contains("not a valid WebAssembly module");
        assertThat(failure("anonymous.wasm"))
                .contains("anonymous.wasm")
                .contains("no manifest")
                .contains("anonymous.wasm.yaml")
                .contains("dataflare.manifest");
        assertRefused("garbage");
        assertHealthyPipelineRuns();
    }

    private String failure(String file) {
        PluginEntry e = kit.engine().plugins().entries().stream()
                .filter(x ->
                        x.file() != null && x.file().getFileName().toString().equals(file))
                .findFirst()
                .orElseThrow();
        assertThat(e.state()).isEqualTo(PluginEntry.State.FAILED);
        return e.reason();
    }

    private void assertRefused(String name) {
        Assertions.assertThatThrownBy(() -> kit.run("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { p: { use: %s, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: never } } }
                """.formatted(name))).isInstanceOf(InvalidConfigException.class);
    }
}
