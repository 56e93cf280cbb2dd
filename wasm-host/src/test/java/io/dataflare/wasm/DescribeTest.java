package io.dataflare.wasm;

import static io.dataflare.wasm.testing.Modules.IDENTITY;
import static io.dataflare.wasm.testing.Modules.manifest;
import static io.dataflare.wasm.testing.Modules.withCustomSection;
import static io.dataflare.wasm.testing.WasmTestKit.wat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.Checksums;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.wasm.module.ModuleLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry describes every changed file on every scan: for a module that reads its manifest, and nothing else. */
@Timeout(60)
class DescribeTest {
    private static final HostContext CTX = new HostContext("1.0.0");

    @TempDir
    Path dir;

    /** The identity module with its manifest in the custom section (each id gives other bytes). */
    private Path sectioned(String id, String extra) throws Exception {
        return Files.write(
                dir.resolve(id + ".wasm"),
                withCustomSection(wat(IDENTITY), ModuleLoader.MANIFEST_SECTION, manifest(id, "processor", extra)));
    }

    @Test
    void describeReadsTheManifestWithoutParsingOrCompilingTheModule() throws Exception {
        Path tag = Files.copy(
                Path.of("..", "sdk-examples", "wasm", "c", "c-tag-1.0.0.wasm"), dir.resolve("c-tag-1.0.0.wasm"));
        Files.copy(
                Path.of("..", "sdk-examples", "wasm", "c", "c-tag-1.0.0.wasm.yaml"),
                dir.resolve("c-tag-1.0.0.wasm.yaml"));
        Path inSection = sectioned("inside", "description: manifest in the module\n");
        try (WasmPluginHost host = new WasmPluginHost((Path) null)) {
            PluginManifest sidecar = host.describe(tag, CTX);
            PluginManifest section = host.describe(inSection, CTX);
            assertThat(host.cache().size()).as("nothing parsed").isZero();
            assertThat(host.cache().compilations()).as("nothing compiled").isZero();

            assertThat(sidecar.label()).isEqualTo("c-tag@1.0.0");
            assertThat(sidecar.capabilities()).containsExactly("log");
            assertThat(section.label()).isEqualTo("inside@1.0.0");
            assertThat(section.getPluginDescription()).isEqualTo("manifest in the module");
            for (Path p : new Path[] {tag, inSection}) {
                try (LoadedPlugin loaded = host.load(p, CTX)) {
                    PluginManifest described = host.describe(p, CTX);
                    assertThat(described.label()).isEqualTo(loaded.label());
                    assertThat(described.checksum())
                            .isEqualTo(loaded.manifest().checksum())
                            .isEqualTo(Checksums.sha256(p));
                    assertThat(described.kinds()).isEqualTo(loaded.manifest().kinds());
                }
            }
        }
    }

    @Test
    void describeRefusesWhatIsNotAModuleOrHasNoManifest() throws Exception {
        Path truncated = Files.write(
                dir.resolve("cut.wasm"), java.util.Arrays.copyOf(Files.readAllBytes(sectioned("cut", "")), 40));
        Path text = Files.writeString(dir.resolve("text.wasm"), "not a module");
        Path bare = Files.write(dir.resolve("bare.wasm"), wat(IDENTITY));
        try (WasmPluginHost host = new WasmPluginHost((Path) null)) {
            assertThatThrownBy(() -> host.describe(truncated, CTX))
                    .isInstanceOf(PluginLoadException.class)
                    .hasMessageStartingWith("cut.wasm: not a valid WebAssembly module (")
                    .hasMessageContaining("out of bounds");
            assertThatThrownBy(() -> host.describe(text, CTX))
                    .hasMessage(
                            "text.wasm: not a valid WebAssembly module (no WebAssembly 1 header (\\0asm, version 1))");
            assertThatThrownBy(() -> host.describe(bare, CTX))
                    .hasMessageStartingWith("bare.wasm: no manifest: put it beside the module as bare.wasm.yaml");
        }
    }

    @Test
    void aScanCompilesEachUsableModuleOnceAndNoneThatCannotBeUsed() throws Exception {
        sectioned("one", "");
        sectioned("two", "");
        sectioned("three", "");
        sectioned("future", "requires: '>=2.0.0'\n");
        sectioned("lonely", "dependencies: ['missing@^1']\n");
        WasmPluginHost host = new WasmPluginHost((Path) null);
        try (PluginRegistry registry = PluginRegistry.builder()
                .addHost(host)
                .addDirectory(dir)
                .engineVersion("1.0.0")
                .build()) {
            Map<String, PluginEntry.State> states = registry.scan().stream()
                    .collect(Collectors.toMap(e -> e.manifest().getPluginId(), PluginEntry::state));
            assertThat(states)
                    .containsEntry("one", PluginEntry.State.LOADED)
                    .containsEntry("future", PluginEntry.State.INCOMPATIBLE)
                    .containsEntry("lonely", PluginEntry.State.UNRESOLVED);
            assertThat(host.cache().compilations())
                    .as("once per loaded module; describing compiles nothing")
                    .isEqualTo(3);
            assertThat(host.cache().size()).isEqualTo(3);

            Files.setLastModifiedTime(
                    dir.resolve("future.wasm"), java.nio.file.attribute.FileTime.fromMillis(0)); // described again
            registry.scan();
            assertThat(host.cache().compilations())
                    .as("a rescan loads nothing that did not change")
                    .isEqualTo(3);
        }
    }
}
