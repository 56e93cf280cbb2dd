package io.dataflare.polyglot.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.plugin.PluginLoadException;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading manifests without running the script. */
class ScriptManifestsTest {
    @Test
    void commentBlocksInEachSyntax() throws Exception {
        String slashes = "// ---\n// id: a\n// version: 1.0.0\n// kind: processor\n// ---\nexport function map(r) { return r; }\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.JAVASCRIPT, slashes, "a.js")).get()
                .satisfies(m -> assertThat(m).containsEntry("id", "a").containsEntry("version", "1.0.0"));
        String block = "/**\n * id: b\n * version: 2.0.0\n * kind: processor\n * capabilities: [state]\n */\nexport const map = r => r;\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.JAVASCRIPT, block, "b.js")).get()
                .satisfies(m -> assertThat(m).containsEntry("id", "b").containsEntry("capabilities", List.of("state")));
        String py = "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# id: c\n# version: 0.1.0\n# kind: processor\nimport os\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.PYTHON, py, "c.py")).get()
                .satisfies(m -> assertThat(m).containsEntry("id", "c"));
    }

    @Test
    void anOrdinaryCommentIsNoManifest() throws Exception {
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.JAVASCRIPT, "// Cleans orders: see the wiki\nexport const map = r => r;\n", "x.js"))
                .isEmpty();
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.PYTHON, "# just code\ndef map(r):\n    return r\n", "x.py")).isEmpty();
        assertThatThrownBy(() -> ScriptManifests.commentBlock(ScriptLanguage.PYTHON, "# id: x\n# version: [1\n", "x.py"))
                .isInstanceOf(PluginLoadException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void pythonDictLiteralsReadAsYaml() {
        String text = """
                import re

                manifest = {
                    'id': 'p',   # the id
                    "version": "1.0.0",
                    "kind": "processor",
                    "config": {"strict": {"type": "boolean", "default": True}, "x": {"type": "string", "default": None}},
                    "capabilities": ["state", "log",],
                    "description": "uses { braces } and 'quotes' and True inside strings",
                }
                """;
        assertThat(ScriptManifests.declaresManifest(ScriptLanguage.PYTHON, text)).isTrue();
        Map<String, Object> m = ScriptManifests.pythonLiteral(text).orElseThrow();
        assertThat(m).containsEntry("id", "p").containsEntry("capabilities", List.of("state", "log"))
                .containsEntry("description", "uses { braces } and 'quotes' and True inside strings");
        assertThat(m.get("config").toString()).contains("default=true").contains("default=null");
        assertThat(ScriptManifests.pythonLiteral("manifest = make_manifest()\n")).isEmpty(); // computed: Python must run
    }

    @Test
    void anonymousIdsComeFromTheFileName() {
        assertThat(ScriptManifests.anonymousId(Path.of("Clean Orders.py"))).isEqualTo("clean-orders");
        assertThat(ScriptManifests.anonymousId(Path.of("_x.mjs"))).isEqualTo("x");
        assertThat(ScriptManifests.anonymousId(Path.of("..js"))).isEqualTo("script");
    }
}
