package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scripts as plugins of a real engine: found in a plugins folder, resolved by name and range, run in parallel. */
@Timeout(60)
class ScriptPipelineTest {
    @TempDir
    static Path dir;

    static ScriptPipelines pipelines;

    @BeforeAll
    static void start() {
        pipelines = new ScriptPipelines(dir)
                .plugin(
                        "tally-1.js",
                        "export const manifest = { id: 'tally', version: '1.4.0', kind: 'processor' };\n"
                                + "export const map = r => ({ ...r, v: 1 });\n")
                .plugin("tally-2.js", """
                        export const manifest = { id: 'tally', version: '2.1.0', kind: 'processor', capabilities: ['state'] };
                        export function map(r, ctx) {
                          const n = (ctx.state.get(r.key) ?? 0) + 1;
                          ctx.state.set(r.key, n);
                          return { ...r, n, instance: ctx.instance };
                        }
                        """)
                .plugin("broken.py", "# id: broken\n# version: [oops\n");
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    @Test
    void scriptsAreListedAndResolvedByVersionRange() throws Exception {
        List<PluginEntry> entries = pipelines.engine().plugins().entries();
        assertThat(entries)
                .filteredOn(e ->
                        e.file() != null && e.file().getFileName().toString().equals("broken.py"))
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("not valid YAML"));
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors: { t: { use: tally@^1, from: in } }
                sinks: { out: { use: collect, from: t, with: { name: v1 } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(pipelines.plugins.collected("v1"))
                .allSatisfy(rec -> assertThat(rec.get("v")).isEqualTo(1L));
    }

    @Test
    void eachParallelInstanceHasItsOwnContextAndKeyedState() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 3000, keys: 13 } } }
                processors: { t: { use: tally@2, from: in, parallelism: 3 } }
                sinks: { out: { use: collect, from: t, with: { name: keyed } } }
                policies: { routing: { key: key, strategy: hash } }
                runtime: { batch_size: 100 }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = pipelines.plugins.collected("keyed");
        assertThat(out).hasSize(3000);
        Map<String, Long> last = new HashMap<>();
        for (Record rec : out) {
            long n = rec.getLong("n");
            Long prev = last.put(rec.getString("key"), n);
            assertThat(n).as("per-key count of %s", rec.getString("key")).isEqualTo(prev == null ? 1 : prev + 1);
        }
        assertThat(out.stream().map(rec -> rec.get("instance")).distinct().count())
                .isGreaterThan(1);
    }
}
