package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.abi;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.wasm.testing.GrantedTestContext;
import io.dataflare.wasm.testing.WasmTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WASI: a module may import it only when its manifest requests {@code wasi}, and gets it only on a stage
 * granted {@code wasi}: a manifest cannot grant itself anything.
 */
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
    void aModuleThatDoesNotRequestWasiCannotImportIt() throws Exception {
        try (WasmTestKit kit = new WasmTestKit(dir)) {
            kit.install("denied-1.0.0", wat(PRINTS), manifest("denied", "processor", ""));
            PluginEntry denied = kit.engine().plugins().entries().stream()
                    .filter(e -> e.file() != null
                            && e.file().getFileName().toString().startsWith("denied"))
                    .findFirst()
                    .orElseThrow();
            assertThat(denied.state()).isEqualTo(PluginEntry.State.FAILED);
            assertThat(denied.reason())
                    .contains("wasi_snapshot_preview1.fd_write")
                    .contains("add 'wasi'");
        }
    }

    @Test
    void wasiRequestedRunsOnlyOnAStageGrantedIt() throws Exception {
        try (WasmTestKit kit = new WasmTestKit(dir)) {
            Path file = kit.install("asks-1.0.0", wat(PRINTS), manifest("asks", "processor", "capabilities: [wasi]\n"));
            try (LoadedPlugin p = PluginLoaders.file(file)) {
                PluginFactory<?> f = p.components().get(0);
                assertThatThrownBy(() -> f.create(GrantedTestContext.of(f, Map.of(), dir, List.of())))
                        .isInstanceOf(SecurityException.class)
                        .hasMessageContaining("asks@1.0.0 requests [wasi]")
                        .hasMessageContaining("not granted: wasi");
                assertThatThrownBy(() -> f.create(GrantedTestContext.of(f, Map.of(), dir, List.of("http:*"))))
                        .as("another grant does not cover wasi")
                        .isInstanceOf(SecurityException.class);
                try (Processor proc = (Processor) f.create(GrantedTestContext.of(f, Map.of(), dir, List.of("wasi")))) {
                    RecordBatch out = proc.process(
                            RecordBatch.of(Record.builder().set("id", 1L).build()));
                    assertThat(out.size())
                            .as("fd_write reached WASI and the call succeeded")
                            .isZero();
                }
            }
        }
    }
}
