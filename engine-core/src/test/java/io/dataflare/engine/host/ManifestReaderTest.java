package io.dataflare.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.config.ConfigType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    @Test
    void readsEveryField() throws Exception {
        ManifestReader.Parsed p = ManifestReader.parse("""
                id: mask-pii
                version: 1.2.0
                kind: processor
                requires: ^1.0
                description: Masks e-mail addresses
                license: Apache-2.0
                dependencies: ["geo@^2", "cache?@^1"]
                capabilities: [log, state]
                config:
                  fields: { type: string_list, required: true, description: Fields to mask }
                  mode: { type: string, default: stars, enum: [stars, hash] }
                """, "mask-pii-1.2.0.wasm.yaml", "wasm", "abc");
        assertThat(p.kind()).isEqualTo(ComponentKind.PROCESSOR);
        assertThat(p.manifest().label()).isEqualTo("mask-pii@1.2.0");
        assertThat(p.manifest().language()).isEqualTo("wasm");
        assertThat(p.manifest().getRequires()).isEqualTo("^1.0");
        assertThat(p.manifest().capabilities()).containsExactly("log", "state");
        assertThat(p.manifest().getDependencies())
                .satisfiesExactly(
                        d -> {
                            assertThat(d.getPluginId()).isEqualTo("geo");
                            assertThat(d.getPluginVersionSupport()).isEqualTo("^2");
                            assertThat(d.isOptional()).isFalse();
                        },
                        d -> {
                            assertThat(d.getPluginId()).isEqualTo("cache");
                            assertThat(d.isOptional()).isTrue();
                        });
        assertThat(p.config().option("fields").type()).isEqualTo(ConfigType.STRING_LIST);
        assertThat(p.config().validate(Map.of("fields", "email")).getString("mode"))
                .isEqualTo("stars");
    }

    @Test
    void namesTheBadField() throws Exception {
        assertThatThrownBy(() ->
                        ManifestReader.parse("id: x\nversion: one\nkind: processor\n", "x.wasm.yaml", "wasm", null))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("manifest x.wasm.yaml: 'version' 'one' is not semver (e.g. 1.2.0)");
        assertThatThrownBy(() ->
                        ManifestReader.parse("id: x\nversion: 1.0.0\nkind: widget\n", "x.wasm.yaml", "wasm", null))
                .hasMessageContaining(
                        "'kind' 'widget' must be source, sink, processor, retry-policy, error-policy, key-router or policy");
        // one manifest for every language: the specific policy kinds are read by the engine, not by each host
        assertThat(ManifestReader.parse("id: x\nversion: 1.0.0\nkind: key-router\n", "x.js", "javascript", null)
                        .kind())
                .isEqualTo(io.dataflare.api.ComponentKind.KEY_ROUTER);
        assertThat(ManifestReader.parse("id: x\nversion: 1.0.0\nkind: error-policy\n", "x.py", "python", null)
                        .manifest()
                        .kinds())
                .containsExactly("policy");
        assertThat(ManifestReader.parse("id: x\nversion: 1.0.0\nkind: policy\n", "x.wasm.yaml", "wasm", null)
                        .manifest()
                        .kinds())
                .containsExactly("policy");
        assertThatThrownBy(() -> ManifestReader.parse(
                        "id: x\nversion: 1.0.0\nkind: sink\nconfig: { a: { type: decimal } }\n", "x", "wasm", null))
                .hasMessageContaining("'config.a.type' 'decimal' is not a type");
        assertThatThrownBy(() ->
                        ManifestReader.parse("id: x\nversion: 1.0.0\nkind: sink\nauthor: me\n", "x", "wasm", null))
                .hasMessageContaining("'author' is not a manifest field");
        assertThatThrownBy(() -> ManifestReader.parse("version: 1.0.0\n", "x", "wasm", null))
                .hasMessageContaining("'id' is required");
        assertThatThrownBy(() ->
                        ManifestReader.parse("id: x\nversion: 1.0.0\nkind: sink\nchecksum: abc\n", "x", "wasm", "def"))
                .hasMessage(
                        "manifest x: 'checksum' does not match the plugin file: the manifest says abc, the file's SHA-256 is def");
        assertThat(ManifestReader.parse("id: x\nversion: 1.0.0\nkind: sink\nchecksum: DEF\n", "x", "wasm", "def")
                        .manifest()
                        .checksum())
                .isEqualTo("def");
    }
}
