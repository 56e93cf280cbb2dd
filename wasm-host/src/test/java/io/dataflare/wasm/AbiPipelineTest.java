package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.IDENTITY;
import static io.dataflare.wasm.testing.Modules.OUTPUT;
import static io.dataflare.wasm.testing.Modules.abi;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.testing.Modules;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AbiPipelineTest {
    @TempDir
    Path dir;

    WasmTestKit kit;

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void identityProcessorKeepsRecordsAndTheirKeysInBothModes() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("identity-1.0.0", wat(IDENTITY), manifest("identity", "processor", ""));
        for (String mode : List.of("compiled", "interpreted")) {
            PipelineResult r = kit.run("""
                    sources: { in: { use: seq, with: { count: 2500 } } }
                    processors: { p: { use: identity, from: in, parallelism: 2, with: { mode: %s } } }
                    sinks: { out: { use: collect, from: p, with: { name: %s } } }
                    runtime: { batch_size: 500 }
                    """.formatted(mode, mode));
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            List<Record> out = kit.collected(mode);
            assertThat(out).hasSize(2500);
            assertThat(out.stream().map(x -> x.getLong("id")).distinct().count())
                    .isEqualTo(2500);
            assertThat(out.get(0).fields().names()).containsExactly("id", "key");
        }
    }

    @Test
    void manifestInACustomSectionAndSourceReadingItsConfig() throws Exception {
        kit = new WasmTestKit(dir);
        // a source that emits its configuration as one record, then ends
        String manifest = manifest("conf-source", "source", "config: { greeting: { type: string, required: true } }")
                .replace("\"", "\\\"")
                .replace("\n", "\\n");
        String wat = """
                (module
                  (import "dataflare" "output" (func $output (param i32 i32)))
                  (import "dataflare" "config" (func $config (param i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (global $done (mut i32) (i32.const 0))
                  (data (i32.const 0) "[")
                  (func (export "df_alloc") (param i32) (result i32) (i32.const 1024))
                  (func (export "df_poll") (param i32) (result i32) (local $n i32)
                    (if (global.get $done) (then (return (i32.const 3))))
                    (global.set $done (i32.const 1))
                    (local.set $n (call $config (i32.const 1) (i32.const 4000)))
                    (i32.store8 (i32.add (i32.const 1) (local.get $n)) (i32.const 93))
                    (call $output (i32.const 0) (i32.add (local.get $n) (i32.const 2)))
                    (i32.const 0)))
                """;
        byte[] module = Modules.withCustomSection(
                wat(wat),
                "dataflare.manifest",
                manifest("conf-source", "source", "config: { greeting: { type: string, required: true } }\n"));
        kit.install("conf-source", module, null);
        PipelineResult r = kit.run("""
                sources: { in: { use: conf-source, with: { greeting: hello, timeout_ms: 500 } } }
                sinks: { out: { use: collect, from: in, with: { name: conf } } }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("conf")).singleElement().satisfies(rec -> {
            assertThat(rec.getString("greeting")).isEqualTo("hello");
            assertThat(rec.has("timeout_ms"))
                    .as("sandbox options are not the module's")
                    .isFalse();
        });
    }

    @Test
    void sinkRejectionsGoToTheErrorPolicy() throws Exception {
        kit = new WasmTestKit(dir);
        String reject = "{\\\"rejected\\\":[{\\\"$in\\\":0,\\\"reason\\\":\\\"first one refused\\\"}]}";
        kit.install(
                "picky-sink",
                wat(abi(OUTPUT, """
                (data (i32.const 0) "%s")
                (func (export "df_write") (param i32 i32) (result i32)
                  (call $output (i32.const 0) (i32.const %d))
                  (i32.const 0))
                """.formatted(reject, reject.replace("\\", "").length()))),
                manifest("picky-sink", "sink", ""));
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                sinks: { out: { use: picky-sink, from: in } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: dlq } } } }
                runtime: { batch_size: 5 }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("dlq"))
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.getString("error")).contains("first one refused"));
        assertThat(r.stats().recordsOut()).isEqualTo(8);
    }

    @Test
    void closingThePluginReleasesItsCompiledCode() throws Exception {
        kit = new WasmTestKit(dir);
        kit.install("identity-1.0.0", wat(IDENTITY), manifest("identity", "processor", ""));
        WasmPluginHost host = WasmTestKit.host(kit.engine());
        PluginEntry e = kit.engine().plugins().entries().stream()
                .filter(x -> x.manifest() != null && x.manifest().getPluginId().equals("identity"))
                .findFirst()
                .orElseThrow();
        assertThat(host.cache().size()).isEqualTo(1);
        e.plugin().close();
        assertThat(host.cache().size()).isZero();
    }
}
