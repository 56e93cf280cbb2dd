package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a hostile script as a pipeline stage beside a well-behaved one, with dead letters collected, and
 * checks it was contained: the run completes, every record is accounted for (out or dead-lettered, the
 * dead letters naming the plugin and the error class), the well-behaved stage got everything.
 */
final class HostileRuns {
    private final ScriptPipelines pipelines;
    private final String wellBehaved;

    /** {@code wellBehaved}: a script file name (written by the test) that passes records through. */
    HostileRuns(ScriptPipelines pipelines, String wellBehaved) {
        this.pipelines = pipelines;
        this.wellBehaved = wellBehaved;
    }

    record Outcome(
            PipelineResult result, List<Record> out, List<Record> deadLetters, List<Record> bystander, long millis) {}

    /** Runs {@code script} (written as {@code name}) on {@code count} records in one batch. */
    Outcome run(String name, String script, int count, String with) throws InterruptedException {
        pipelines.file(name, script);
        long t0 = System.nanoTime();
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: %d } } }
                processors:
                  bad:  { use: ./%s, from: in, with: { %s } }
                  fine: { use: ./%s, from: in }
                sinks:
                  out:  { use: collect, from: bad, with: { name: %s-out } }
                  ok:   { use: collect, from: fine, with: { name: %s-ok } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: %s-dlq } } } }
                runtime: { batch_size: %d }
                """.formatted(count, name, with, wellBehaved, name, name, name, count));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Outcome(
                r,
                pipelines.plugins.collected(name + "-out"),
                pipelines.plugins.collected(name + "-dlq"),
                pipelines.plugins.collected(name + "-ok"),
                ms);
    }

    /**
     * Asserts the run contained the script: every record dead-lettered with {@code errorClass} (null: timeout or
     * limit) and a message naming the plugin.
     */
    static void assertContained(Outcome o, int count, String errorClass, String pluginLabel, String messagePart) {
        assertThat(o.result().state())
                .as("run state (%s)", o.result().failure())
                .isEqualTo(PipelineState.COMPLETED);
        assertThat(o.bystander()).as("the other stage got every record").hasSize(count);
        assertThat(o.out().size() + o.deadLetters().size()).as("nothing lost").isEqualTo(count);
        assertThat(o.deadLetters()).as("dead letters").hasSize(count).allSatisfy(d -> {
            if (errorClass != null) assertThat(d.getString("error_class")).isEqualTo(errorClass);
            else assertThat(d.getString("error_class")).isIn(ErrorClass.TIMEOUT, ErrorClass.LIMIT);
            assertThat(d.getString("error")).contains(pluginLabel).contains(messagePart);
            assertThat(d.getString("stage")).isEqualTo("bad");
        });
    }

    /**
     * Asserts a direct call of the script's processor fails with {@code errorClass} within {@code timeoutMs} + 1 s.
     * The second call is timed: a new Python context warms its batch loop up before its first call, which is
     * start-up, not part of the call.
     */
    static void assertStopsInTime(ScriptHost host, Path file, long timeoutMs, String errorClass) throws Exception {
        LoadedPlugin p = host.load(file, new HostContext("1.0.0"));
        try (Processor proc = Scripts.open(p, Map.of("timeout_ms", timeoutMs))) {
            for (int call = 0; call < 2; call++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> proc.process(Scripts.ids(1)))
                        .isInstanceOfSatisfying(
                                PluginException.class,
                                e -> assertThat(e.errorClass()).isEqualTo(errorClass));
                if (call == 1) {
                    assertThat((System.nanoTime() - t0) / 1_000_000)
                            .as("stopped within the time limit + 1 s")
                            .isLessThan(timeoutMs + 1000);
                }
            }
        } finally {
            p.close();
        }
    }
}
