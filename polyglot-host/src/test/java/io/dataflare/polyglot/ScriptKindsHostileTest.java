package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile sources, sinks and policies in real pipelines: a source whose poll never returns, a sink that throws
 * on flush, policies that loop forever, a script that reads a file its stage was not granted. Each is stopped
 * by its time limit or refused, reported with the plugin's id, and no record is lost: the pipeline fails
 * cleanly, or the records go to the error policy.
 */
@Timeout(120)
class ScriptKindsHostileTest {
    @TempDir
    static Path dir;

    static ScriptPipelines pipelines;

    @BeforeAll
    static void start() throws Exception {
        pipelines = new ScriptPipelines(dir)
                .plugin("stuck-source.js", """
                        export const manifest = { id: 'stuck-source', version: '1.0.0', kind: 'source' };
                        export function poll() { while (true) {} }
                        """)
                .plugin("bad-flush.py", """
                        # id: bad-flush
                        # version: 1.0.0
                        # kind: sink
                        def write(batch):
                            pass

                        def flush():
                            raise IOError("disk on fire")
                        """)
                .plugin("looping-retry.js", """
                        export const manifest = { id: 'looping-retry', version: '1.0.0', kind: 'retry-policy' };
                        export function decide() { while (true) {} }
                        """)
                .plugin("looping-errors.py", """
                        # id: looping-errors
                        # version: 1.0.0
                        # kind: error-policy
                        def route(failure):
                            while True:
                                pass
                        """)
                .plugin("looping-router.js", """
                        export const manifest = { id: 'looping-router', version: '1.0.0', kind: 'key-router' };
                        export function route() { for (;;) {} }
                        """)
                .plugin("snoop.js", """
                        export const manifest = { id: 'snoop', version: '1.0.0', kind: 'source' };
                        export function poll(max, ctx) { return [{ text: ctx.files.read('secret.txt') }]; }
                        """);
        Files.writeString(dir.resolve("secret.txt"), "secret");
        // fails every record whose id is odd, with an I/O error (which a retry policy would retry)
        pipelines.plugins.processor("odd-fails", () -> batch -> {
            for (Record r : batch)
                if (r.getLong("id") % 2 == 1) throw new PluginException(ErrorClass.IO, "odd " + r.getLong("id"));
            return batch;
        });
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    @Test
    void aSourceThatNeverReturnsFailsThePipelineNamingThePlugin() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: stuck-source, with: { timeout_ms: 300 } } }
                sinks: { out: { use: collect, from: in, with: { name: stuck } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("javascript plugin stuck-source@1.0.0").contains("timeout_ms=300");
    }

    @Test
    void aSinkThatThrowsOnFlushFailsThePipelineNamingThePlugin() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                sinks: { out: { use: bad-flush, from: in } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("python plugin bad-flush@1.0.0").contains("disk on fire");
    }

    @Test
    void aRetryPolicyThatLoopsGivesUpAndTheRecordsGoToTheErrorPolicy() throws Exception {
        try (StderrCapture err = new StderrCapture()) {
            PipelineResult r = pipelines.run("""
                    sources: { in: { use: seq, with: { count: 20 } } }
                    processors: { p: { use: odd-fails, from: in } }
                    sinks: { out: { use: collect, from: p, with: { name: after-loop } } }
                    policies:
                      retry: { use: looping-retry, with: { timeout_ms: 200 } }
                      errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: loop-dlq } } }
                    runtime: { batch_size: 20 }
                    """);
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            assertThat(pipelines.plugins.collected("after-loop")).hasSize(10);
            assertThat(pipelines.plugins.collected("loop-dlq")).hasSize(10);
            assertThat(r.stats().retries()).isZero();
            assertThat(err.lines())
                    .anySatisfy(l -> assertThat(l)
                            .contains("retry policy javascript plugin looping-retry@1.0.0")
                            .contains("timeout_ms=200")
                            .contains("giving up on this failure"));
        }
    }

    @Test
    void anErrorPolicyThatLoopsFailsThePipelineNamingThePlugin() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 4 } } }
                processors: { p: { use: odd-fails, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: error-loop } } }
                policies:
                  errors: { on_error: looping-errors, with: { timeout_ms: 300 } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure()).contains("python plugin looping-errors@1.0.0").contains("timeout_ms=300");
    }

    @Test
    void aKeyRouterThatLoopsFailsThePipelineNamingThePlugin() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 50 } } }
                processors: { p: { use: odd-fails, from: in, parallelism: 2 } }
                sinks: { out: { use: collect, from: p, with: { name: router-loop } } }
                policies: { routing: { key: key, strategy: looping-router, with: { timeout_ms: 200 } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure())
                .contains("javascript plugin looping-router@1.0.0")
                .contains("timeout_ms=200");
    }

    @Test
    void aScriptReadingAFileItWasNotGrantedFailsThePipelineNamingThePlugin() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: snoop } }
                sinks: { out: { use: collect, from: in, with: { name: snooped } } }
                """);
        assertThat(r.state()).isEqualTo(PipelineState.FAILED);
        assertThat(r.failure())
                .contains("javascript plugin snoop@1.0.0")
                .contains("read of 'secret.txt' is not granted to stage 'in'");
        assertThat(pipelines.plugins.collected("snooped")).isEmpty();
    }
}
