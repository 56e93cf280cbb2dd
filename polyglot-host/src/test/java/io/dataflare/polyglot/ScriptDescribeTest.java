package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scanning a folder of scripts reads their manifests without running them: Python starts only when a
 * pipeline uses a script (or a manifest is computed), JavaScript is evaluated once, at load.
 */
@Timeout(120)
class ScriptDescribeTest {
    @TempDir
    Path dir;

    @Test
    void listingRunsNoScriptUntilAPipelineUsesOne() throws Exception {
        try (ScriptPipelines p = new ScriptPipelines(dir)
                .plugin(
                        "lit.py",
                        "manifest = {'id': 'lit-py', 'version': '1.2.0', 'kind': 'processor', 'config': {'n': {'type': 'long', 'default': 3}}}\n"
                                + "def map(r, ctx):\n    return {**r, 'n': ctx.config['n']}\n")
                .plugin(
                        "comment.py",
                        "# id: comment-py\n# version: 0.3.0\n# kind: processor\ndef map(r):\n    return r\n")
                .plugin(
                        "lit.js",
                        "export const manifest = { id: 'lit-js', version: '2.0.0', kind: 'processor' };\nexport const map = r => r;\n")) {
            assertThat(p.engine().plugins().entries())
                    .filteredOn(e -> e.file() != null)
                    .extracting(e -> e.state() + " " + e.declared())
                    .containsExactlyInAnyOrder("LOADED comment-py@0.3.0", "LOADED lit-js@2.0.0", "LOADED lit-py@1.2.0");
            assertThat(p.host(PythonHost.class).runtime().contextsCreated()).isZero();
            // loading a JavaScript file evaluates it once (that is how a syntax error fails at load); reading its
            // manifest did not
            assertThat(p.host(JavaScriptHost.class).runtime().contextsCreated()).isOne();

            PipelineResult r = p.run("""
                    sources: { in: { use: seq, with: { count: 3 } } }
                    processors: { m: { use: lit-py, from: in } }
                    sinks: { out: { use: collect, from: m, with: { name: out } } }
                    """);
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            assertThat(p.plugins.collected("out")).extracting(x -> x.get("n")).containsOnly(3L);
            assertThat(p.host(PythonHost.class).runtime().contextsCreated()).isPositive();
        }
    }
}
