package io.dataflare.polyglot.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading manifests without running the script. */
class ScriptManifestsTest {
    @Test
    void commentBlocksInEachSyntax() throws Exception {
        String slashes =
                "// ---\n// id: a\n// version: 1.0.0\n// kind: processor\n// ---\nexport function map(r) { return r; }\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.JAVASCRIPT, slashes, "a.js"))
                .get()
                .satisfies(m -> assertThat(m).containsEntry("id", "a").containsEntry("version", "1.0.0"));
        String block =
                "/**\n * id: b\n * version: 2.0.0\n * kind: processor\n * capabilities: [state]\n */\nexport const map = r => r;\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.JAVASCRIPT, block, "b.js"))
                .get()
                .satisfies(m -> assertThat(m).containsEntry("id", "b").containsEntry("capabilities", List.of("state")));
        String py =
                "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# id: c\n# version: 0.1.0\n# kind: processor\nimport os\n";
        assertThat(ScriptManifests.commentBlock(ScriptLanguage.PYTHON, py, "c.py"))
                .get()
                .satisfies(m -> assertThat(m).containsEntry("id", "c"));
    }

    @Test
    void anOrdinaryCommentIsNoManifest() throws Exception {
        assertThat(ScriptManifests.commentBlock(
                        ScriptLanguage.JAVASCRIPT,
                        "// Cleans orders: see the wiki\nexport const map = r => r;\n",
                        "x.js"))
                .isEmpty();
        assertThat(ScriptManifests.commentBlock(
                        ScriptLanguage.PYTHON, "# just code\ndef map(r):\n    return r\n", "x.py"))
                .isEmpty();
        assertThatThrownBy(
                        () -> ScriptManifests.commentBlock(ScriptLanguage.PYTHON, "# id: x\n# version: [1\n", "x.py"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void pythonDictLiteralsAreReadWithoutPython() {
        String text = """
                import re

                manifest = {
                    'id': 'p',   # the id
                    "version": "1.0.0",
                    "kind": "processor",
                    "config": {"strict": {"type": "boolean", "default": True}, "x": {"type": "string", "default": None},
                               "rate": {"type": "double", "default": 1.5}, "n": {"type": "long", "default": -3}},
                    "capabilities": ["state", "log",],
                    "description": "uses { braces } and 'quotes' and True inside strings \\u00e9\\n",
                }
                """;
        assertThat(ScriptManifests.declaresManifest(ScriptLanguage.PYTHON, text))
                .isTrue();
        Map<String, Object> m =
                ScriptManifests.literal(ScriptLanguage.PYTHON, text).orElseThrow();
        assertThat(m)
                .containsEntry("id", "p")
                .containsEntry("capabilities", List.of("state", "log"))
                .containsEntry("description", "uses { braces } and 'quotes' and True inside strings \u00e9\n");
        assertThat(m.get("config").toString())
                .contains("default=true")
                .contains("default=null")
                .contains("default=1.5")
                .contains("default=-3");
        assertThat(ScriptManifests.literal(ScriptLanguage.PYTHON, "manifest = make_manifest()\n"))
                .isEmpty(); // computed: Python must run
    }

    @Test
    void javascriptObjectLiteralsAreReadWithoutEvaluating() {
        String text = """
                // a processor
                export const manifest = {
                  id: 'redact', "version": '1.0.0', kind: 'processor', /* inline */ requires: '^1.0',
                  config: { fields: { type: 'string_list', default: ['email'], description: "fields to mask" }, keep: { type: 'long', default: 2 } },
                };
                export function map(r) { return r; }
                """;
        Map<String, Object> m =
                ScriptManifests.literal(ScriptLanguage.JAVASCRIPT, text).orElseThrow();
        assertThat(m)
                .containsEntry("id", "redact")
                .containsEntry("version", "1.0.0")
                .containsEntry("requires", "^1.0");
        assertThat(m.get("config").toString())
                .isEqualTo(
                        "{fields={type=string_list, default=[email], description=fields to mask}, keep={type=long, default=2}}");
    }

    @Test
    void whatOnlyEvaluationCanTellIsNotALiteral() {
        for (String js : new String[] {
            "const V = '1.0.0';\nexport const manifest = { id: 'x', version: V };",
            "export const manifest = { ...base, id: 'x' };",
            "export const manifest = { id: `x${1}` };",
            "export const manifest = { ['id']: 'x' };",
            "export const manifest = Object.freeze({ id: 'x' });",
            "export const manifest = { id: 'x' }.valueOf();",
            "export const manifest = { id: 'x', n: 0x10 };",
            "export const manifest = { id: 'x', on: True };"
        }) {
            assertThat(ScriptManifests.literal(ScriptLanguage.JAVASCRIPT, js))
                    .as(js)
                    .isEmpty();
        }
        for (String py : new String[] {
            "VERSION = '1.0.0'\nmanifest = {'id': 'x', 'version': VERSION}\n",
            "manifest = {id: 'x'}\n",
            "manifest = {'id': 'x' 'y'}\n",
            "manifest = {'id': f'x{1}'}\n",
            "manifest = {'id': '''x'''}\n",
            "manifest = {'id': 'x'} | extra\n",
            "manifest = {'id': 'x', 'on': true}\n"
        }) {
            assertThat(ScriptManifests.literal(ScriptLanguage.PYTHON, py))
                    .as(py)
                    .isEmpty();
        }
    }

    @Test
    void anonymousIdsComeFromTheFileName() {
        assertThat(ScriptManifests.anonymousId(Path.of("Clean Orders.py"))).isEqualTo("clean-orders");
        assertThat(ScriptManifests.anonymousId(Path.of("_x.mjs"))).isEqualTo("x");
        assertThat(ScriptManifests.anonymousId(Path.of("..js"))).isEqualTo("script");
    }
}
