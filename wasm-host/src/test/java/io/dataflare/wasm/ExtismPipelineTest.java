package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
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

@Timeout(60)
class ExtismPipelineTest {
    /**
     * An Extism plugin written against the raw host functions: {@code echo} copies its input to its
     * output byte by byte through Extism memory; {@code fail} reports an error; {@code spin} never ends.
     */
    static final String ECHO = """
            (module
              (import "extism:host/env" "input_length" (func $input_length (result i64)))
              (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
              (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
              (import "extism:host/env" "error_set" (func $error_set (param i64)))
              (memory (export "memory") 1)
              (func (export "echo") (result i32) (local $n i64) (local $i i64) (local $out i64)
                (local.set $n (call $input_length))
                (local.set $out (call $alloc (local.get $n)))
                (block $done (loop $l
                  (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
                  (call $store_u8 (i64.add (local.get $out) (local.get $i)) (call $input_load_u8 (local.get $i)))
                  (local.set $i (i64.add (local.get $i) (i64.const 1)))
                  (br $l)))
                (call $output_set (local.get $out) (local.get $n))
                (i32.const 0))
              (func (export "fail") (result i32) (local $e i64)
                (local.set $e (call $alloc (i64.const 4)))
                (call $store_u8 (local.get $e) (i32.const 110))
                (call $store_u8 (i64.add (local.get $e) (i64.const 1)) (i32.const 111))
                (call $store_u8 (i64.add (local.get $e) (i64.const 2)) (i32.const 112))
                (call $store_u8 (i64.add (local.get $e) (i64.const 3)) (i32.const 101))
                (call $error_set (local.get $e))
                (i32.const 1))
              (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0)))
            """;

    @TempDir
    Path dir;

    WasmTestKit kit;

    @AfterEach
    void close() {
        kit.close();
    }

    private PipelineResult run(String with, String sink) throws Exception {
        return kit.run("""
                sources: { in: { use: seq, with: { count: 20 } } }
                processors: { p: { use: echo, from: in, with: %s } }
                sinks: { out: { use: collect, from: p, with: { name: %s } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: %s-dlq } } } }
                runtime: { batch_size: 10 }
                """.formatted(with, sink, sink));
    }

    @Test
    void recordInRecordOutReplacesTheRecord() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("echo-1.0.0", wat(ECHO), manifest("echo", "processor", ""));
        PipelineResult r = run("{ function: echo }", "whole");
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("whole");
        assertThat(out).hasSize(20);
        assertThat(out.get(3).asMap()).containsEntry("id", 3L).containsEntry("key", "k3");
    }

    @Test
    void fieldInFieldOutStoresParsedJsonOrText() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("echo-1.0.0", wat(ECHO), manifest("echo", "processor", ""));
        PipelineResult r = run("{ function: echo, input: 'field:key', output: 'field:copy' }", "fields");
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("fields"))
                .hasSize(20)
                .allSatisfy(rec -> assertThat(rec.getString("copy")).isEqualTo(rec.getString("key")));
        PipelineResult n = run("{ function: echo, input: 'field:id', output: 'field:n' }", "numbers");
        assertThat(n.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("numbers"))
                .allSatisfy(rec -> assertThat(rec.get("n")).isEqualTo(rec.get("id")));
    }

    @Test
    void anErrorReturnRejectsTheRecordAndATimeoutFailsTheBatch() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("echo-1.0.0", wat(ECHO), manifest("echo", "processor", ""));
        PipelineResult r = run("{ function: fail }", "failing");
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("failing-dlq")).hasSize(20).allSatisfy(d -> {
            assertThat(d.getString("error")).contains("echo@1.0.0").contains("fail returned 1: nope");
            assertThat(d.getString("error_class")).isEqualTo("plugin_error");
        });
        PipelineResult t = kit.run("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { p: { use: echo, from: in, with: { function: spin, timeout_ms: 100 } } }
                sinks: { out: { use: collect, from: p, with: { name: spin } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: spin-dlq } } } }
                """);
        assertThat(t.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("spin-dlq"))
                .singleElement()
                .satisfies(d -> assertThat(d.getString("error_class")).isEqualTo("timeout"));
    }

    @Test
    void anUnknownFunctionIsRefusedBeforeTheRun() {
        kit = new WasmTestKit(dir);
        kit.install("echo-1.0.0", wat(ECHO), manifest("echo", "processor", ""));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("{ function: nope }", "x"))
                .hasMessageContaining("exports no function 'nope'");
    }
}
