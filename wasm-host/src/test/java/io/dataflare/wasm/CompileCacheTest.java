package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.OUTPUT;
import static io.dataflare.wasm.testing.Modules.abi;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.module.CompiledCode;
import io.dataflare.wasm.testing.Modules;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class CompileCacheTest {
    @TempDir
    Path dir;

    private static CompiledCode code(LoadedPlugin p) {
        return ((WasmComponentFactory) p.components().get(0)).module().code();
    }

    @Test
    void diskCacheIsReusedAndACorruptEntryIsIgnored() throws Exception {
        Path plugins = dir.resolve("plugins");
        Path cache = dir.resolve("cache");
        Files.createDirectories(plugins);
        Path wasm = plugins.resolve("identity.wasm");
        Files.write(wasm, wat(Modules.IDENTITY));
        Files.writeString(plugins.resolve("identity.wasm.yaml"), manifest("identity", "processor", ""));
        try (WasmPluginHost first = new WasmPluginHost(cache);
                LoadedPlugin p = first.load(wasm, new HostContext("1.0.0"))) {
            assertThat(code(p).fromDisk()).isFalse();
            assertThat(code(p).describe()).isEqualTo("compiled");
        }
        Path entry;
        try (Stream<Path> s = Files.list(cache)) {
            entry = s.filter(f -> f.toString().endsWith(".dfwc")).findFirst().orElseThrow();
        }
        try (WasmPluginHost second = new WasmPluginHost(cache);
                LoadedPlugin p = second.load(wasm, new HostContext("1.0.0"))) {
            assertThat(code(p).fromDisk()).isTrue();
        }
        byte[] b = Files.readAllBytes(entry);
        b[b.length / 2] ^= 0x5a;
        Files.write(entry, b);
        try (WasmPluginHost third = new WasmPluginHost(cache);
                LoadedPlugin p = third.load(wasm, new HostContext("1.0.0"))) {
            assertThat(code(p).fromDisk()).as("a tampered entry is not used").isFalse();
        }
    }

    @Test
    void closingAPluginLetsItsCompiledCodeBeCollected() throws Exception {
        Path wasm = dir.resolve("identity.wasm");
        Files.write(wasm, wat(Modules.IDENTITY));
        Files.writeString(dir.resolve("identity.wasm.yaml"), manifest("identity", "processor", ""));
        try (WasmPluginHost host = new WasmPluginHost((Path) null)) {
            java.lang.ref.WeakReference<Object> compiled = loadAndClose(host, wasm);
            for (int i = 0; i < 50 && compiled.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(compiled.get())
                    .as("the machine factory (and its class loader) is collectable")
                    .isNull();
            assertThat(host.cache().size()).isZero();
        }
    }

    private static java.lang.ref.WeakReference<Object> loadAndClose(WasmPluginHost host, Path wasm) throws Exception {
        LoadedPlugin p = host.load(wasm, new HostContext("1.0.0"));
        java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(code(p).compiled());
        p.close();
        return ref;
    }

    @Test
    void aFunctionTooLargeForTheJvmFallsBackToTheInterpreter() throws Exception {
        // 25,000 additions in one function: far over the JVM's 64 KiB method limit once compiled
        StringBuilder big = new StringBuilder("(func $big (result i32) (i32.const 0)\n");
        for (int i = 0; i < 25_000; i++) big.append("(i32.add (i32.const 1000))\n");
        big.append(")\n");
        String module = abi(OUTPUT, big + """
                (data (i32.const 0) "[{\\"sum\\":")
                (func (export "df_process") (param i32 i32) (result i32) (local $v i32) (local $p i32)
                  (local.set $v (call $big))
                  (local.set $p (i32.const 15))
                  ;; the sum 25000000 as eight decimal digits, then "}]"
                  (block $d (loop $l
                    (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.div_u (local.get $v) (i32.const 10000000))))
                    (local.set $v (i32.mul (i32.rem_u (local.get $v) (i32.const 10000000)) (i32.const 10)))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get $p) (i32.const 23)))))
                  (i32.store8 (i32.const 23) (i32.const 125))
                  (i32.store8 (i32.const 24) (i32.const 93))
                  (call $output (i32.const 7) (i32.const 18))
                  (i32.const 0))
                """).replace("(data (i32.const 0)", "(data (i32.const 7)");
        try (WasmTestKit kit = new WasmTestKit(dir)) {
            Path f = kit.install("big-1.0.0", wat(module), manifest("big", "processor", ""));
            try (WasmPluginHost host = new WasmPluginHost((Path) null);
                    LoadedPlugin p = host.load(f, new HostContext("1.0.0"))) {
                assertThat(code(p).interpreted()).hasSize(1);
                assertThat(code(p).describe()).contains("1 function(s) interpreted");
            }
            PipelineResult r = kit.run("""
                    sources: { in: { use: seq, with: { count: 1 } } }
                    processors: { p: { use: big, from: in } }
                    sinks: { out: { use: collect, from: p, with: { name: big } } }
                    """);
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            assertThat(kit.collected("big"))
                    .singleElement()
                    .satisfies(rec -> assertThat(rec.getLong("sum")).isEqualTo(25_000_000L));
        }
    }
}
