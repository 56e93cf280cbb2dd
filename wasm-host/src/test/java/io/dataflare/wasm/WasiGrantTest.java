package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.abi;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** WASI is there only for a module whose manifest grants it; its output goes to the plugin log. */
@Timeout(60)
class WasiGrantTest {
    private static final String PRINTS = abi(
            "(import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))",
            """
            (data (i32.const 16) "hello from wasi\\n")
            (func (export "df_process") (param i32 i32) (result i32)
              (i32.store (i32.const 0) (i32.const 16))
              (i32.store (i32.const 4) (i32.const 16))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (i32.const 0))
            """);

    @TempDir
    Path dir;

    @Test
    void wasiNeedsTheCapability() throws Exception {
        try (WasmTestKit kit = new WasmTestKit(dir)) {
            kit.install("denied-1.0.0", wat(PRINTS), manifest("denied", "processor", ""));
            kit.install("granted-1.0.0", wat(PRINTS), manifest("granted", "processor", "capabilities: [wasi]\n"));
            PluginEntry denied = kit.engine().plugins().entries().stream()
                    .filter(e -> e.file() != null
                            && e.file().getFileName().toString().startsWith("denied"))
                    .findFirst()
                    .orElseThrow();
            assertThat(denied.state()).isEqualTo(PluginEntry.State.FAILED);
            assertThat(denied.reason())
                    .contains("wasi_snapshot_preview1.fd_write")
                    .contains("add 'wasi'");
            PipelineResult r = kit.run("""
                    sources: { in: { use: seq, with: { count: 3 } } }
                    processors: { p: { use: granted, from: in, grants: [wasi] } }
                    sinks: { out: { use: collect, from: p, with: { name: out } } }
                    """);
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        }
    }
}
