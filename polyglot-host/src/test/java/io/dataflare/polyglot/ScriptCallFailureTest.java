package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.GuestException;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.polyglot.sandbox.GuestConsole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed call leaves behind, in a real pipeline (JavaScript: its contexts start in milliseconds): a call
 * that throws or times out after writing {@code ctx.state} leaves the state as it was, so the engine's
 * record-by-record re-run of the batch sees what the failed call saw; a timeout is logged at warn naming the
 * plugin and stage, and classified {@code timeout}; and what a script prints shows on stderr.
 */
@Timeout(60)
class ScriptCallFailureTest {
    /** Marks keys as seen and keeps each key's first record; FAIL (replaced) runs when the batch has several records. */
    private static final String DEDUPE = """
            // id: dedupe
            // version: 1.2.0
            // kind: processor
            // capabilities: [state]
            export function process(batch, ctx) {
              const out = [];
              for (const r of batch) {
                if (ctx.state.get(r.key) === undefined) {
                  ctx.state.set(r.key, true);
                  out.push(r);
                }
              }
              if (batch.length > 1) { FAIL }
              POISON
              return out;
            }
            """;

    @TempDir
    static Path dir;

    static ScriptPipelines pipelines;

    @BeforeAll
    static void start() {
        pipelines = new ScriptPipelines(dir);
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    /** 108 records, 3 of each of 36 keys, in one batch through {@code script} (timeout_ms 300). */
    private static PipelineResult dedupe(String name, String script) throws InterruptedException {
        pipelines.file(name + ".js", script);
        return pipelines.run("""
                sources: { in: { use: seq, with: { count: 108, keys: 36 } } }
                processors: { d: { use: ./%s.js, from: in, with: { timeout_ms: 300 } } }
                sinks: { out: { use: collect, from: d, with: { name: %s } } }
                policies: { errors: { on_error: dead-letter, dead_letter: { use: collect, with: { name: %s-dlq } } } }
                runtime: { batch_size: 108 }
                """.formatted(name, name, name));
    }

    private static Map<String, Long> countByKey(List<Record> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.getString("key"), Collectors.counting()));
    }

    @Test
    void aBatchThatThrowsAfterWritingStateIsReRunFromTheStateBeforeIt() throws Exception {
        PipelineResult r = dedupe(
                "throws",
                DEDUPE.replace("FAIL", "throw new Error('the whole batch fails')")
                        .replace("POISON", ""));
        assertThat(r.state()).as("%s", r.failure()).isEqualTo(PipelineState.COMPLETED);
        Map<String, Long> out = countByKey(pipelines.plugins.collected("throws"));
        assertThat(out)
                .as("every key exactly once")
                .hasSize(36)
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        assertThat(pipelines.plugins.collected("throws-dlq")).isEmpty();
    }

    @Test
    void aTimedOutCallIsLoggedClassifiedTimeoutAndLeavesTheStateAsItWas() throws Exception {
        String script =
                DEDUPE.replace("FAIL", "for (;;) {}").replace("POISON", "if (batch[0].key === 'k7') for (;;) {}");
        PipelineResult r;
        List<String> stderr;
        try (StderrCapture err = new StderrCapture()) {
            r = dedupe("spins", script);
            stderr = err.lines();
        }
        assertThat(r.state()).as("%s", r.failure()).isEqualTo(PipelineState.COMPLETED);
        Map<String, Long> out = countByKey(pipelines.plugins.collected("spins"));
        assertThat(out)
                .as("every key but the poisoned one exactly once")
                .hasSize(35)
                .doesNotContainKey("k7")
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        assertThat(pipelines.plugins.collected("spins-dlq"))
                .as("k7's records, each timed out alone")
                .hasSize(3)
                .allSatisfy(d -> {
                    assertThat(d.getString("error_class")).isEqualTo(ErrorClass.TIMEOUT);
                    assertThat(d.getString("error"))
                            .contains("javascript plugin dedupe@1.2.0")
                            .contains("timeout_ms=300");
                });
        List<String> warnings =
                stderr.stream().filter(l -> l.contains("a call timed out")).toList();
        assertThat(warnings)
                .as("one warning per timed-out call: the batch, then k7's three records")
                .hasSize(4)
                .allSatisfy(l -> assertThat(l)
                        .contains("WARN")
                        .contains("dedupe@1.2.0")
                        .contains("stage 'd'")
                        .contains("timeout_ms=300"));
        assertThat(r.stats().timeouts()).as("and each is counted").isEqualTo(4);
    }

    @Test
    void aCallReadsItsOwnWritesAndAFailedCallsWritesAreGone() throws Exception {
        LoadedPlugin p = Scripts.load(pipelines.host(JavaScriptHost.class), dir, "counter.js", """
                // id: counter
                // version: 1.0.0
                // kind: processor
                // capabilities: [state]
                export function process(batch, ctx) {
                  const seen = { before: ctx.state.get('n') ?? 0, goneBefore: ctx.state.get('gone') ?? null };
                  ctx.state.set('n', seen.before + batch.length);
                  ctx.state.delete('gone');
                  seen.after = ctx.state.get('n');
                  seen.goneAfter = ctx.state.get('gone') ?? null;
                  if (batch[0].id < 0) throw new Error('fails after writing');
                  ctx.state.set('gone', 'back');
                  return [seen];
                }
                """);
        try (Processor proc = Scripts.open(p, Map.of())) {
            Record first = proc.process(Scripts.ids(2)).get(0);
            assertThat(first.get("before")).isEqualTo(0L);
            assertThat(first.get("after")).as("its own write").isEqualTo(2L);
            assertThatThrownBy(() -> proc.process(
                            RecordBatch.of(Record.builder().set("id", -1L).build())))
                    .hasMessageContaining("fails after writing");
            Record third = proc.process(Scripts.ids(3)).get(0);
            assertThat(third.get("before"))
                    .as("the failed call's write is gone")
                    .isEqualTo(2L);
            assertThat(third.get("goneBefore"))
                    .as("the failed call's delete is gone")
                    .isEqualTo("back");
            assertThat(third.get("after")).isEqualTo(5L);
            assertThat(third.get("goneAfter")).as("its own delete").isNull();
        } finally {
            p.close();
        }
    }

    @Test
    void anErrorTheScriptThrowsCarriesItsNameAndMessage() throws Exception {
        // callers that match errors by name (a workflow's Retry and Catch) read them from the GuestException
        LoadedPlugin p = Scripts.load(pipelines.host(JavaScriptHost.class), dir, "named.js", """
                class ValueTooLow extends Error { constructor(m) { super(m); this.name = 'ValueTooLow'; } }
                export function process(batch) {
                  if (batch[0].id === 0) throw new ValueTooLow('value 0 is below 10');
                  if (batch[0].id === 1) throw new RangeError('out of range');
                  throw 'a bare string';
                }
                """);
        try (Processor proc = Scripts.open(p, Map.of())) {
            assertThatThrownBy(() -> proc.process(Scripts.ids(1))).isInstanceOfSatisfying(GuestException.class, e -> {
                assertThat(e.errorName()).isEqualTo("ValueTooLow");
                assertThat(e.guestMessage()).isEqualTo("value 0 is below 10");
                assertThat(e.errorClass()).isEqualTo(ErrorClass.PLUGIN_ERROR);
                assertThat(e.getMessage()).contains("value 0 is below 10");
            });
            assertThatThrownBy(() -> proc.process(
                            RecordBatch.of(Record.builder().set("id", 1L).build())))
                    .isInstanceOfSatisfying(GuestException.class, e -> {
                        assertThat(e.errorName()).isEqualTo("RangeError");
                        assertThat(e.guestMessage()).isEqualTo("out of range");
                    });
            assertThatThrownBy(() -> proc.process(
                            RecordBatch.of(Record.builder().set("id", 2L).build())))
                    .isInstanceOf(PluginException.class)
                    .isNotInstanceOf(GuestException.class)
                    .hasMessageContaining("a bare string");
        } finally {
            p.close();
        }
    }

    @Test
    void aCallStoppedWhileItsRecordsAreHandedOverLeavesNoneOfThemForTheNextCall() throws Exception {
        // the script's setter for index 5 of every array never returns for record 5: the time limit stops the
        // call while the host hands its records over, records 0 to 4 already in the guest
        LoadedPlugin p = Scripts.load(pipelines.host(JavaScriptHost.class), dir, "stuck.js", """
                Object.defineProperty(Array.prototype, '5', {
                  set(v) {
                    if (v !== null && typeof v === 'object' && v.id === 5) for (;;) {}
                    Object.defineProperty(this, '5', { value: v, writable: true, enumerable: true, configurable: true });
                  },
                  configurable: true,
                });
                export function process(batch) { return [{ n: batch.length, first: batch[0].id }]; }
                """);
        try (Processor proc = Scripts.open(p, Map.of("timeout_ms", 300))) {
            assertThatThrownBy(() -> proc.process(Scripts.ids(10)))
                    .isInstanceOfSatisfying(
                            PluginException.class,
                            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT));
            Record next = proc.process(RecordBatch.of(
                            Record.builder().set("id", 100L).build(),
                            Record.builder().set("id", 101L).build(),
                            Record.builder().set("id", 102L).build()))
                    .get(0);
            assertThat(next.get("n"))
                    .as("the next call sees its own records only")
                    .isEqualTo(3L);
            assertThat(next.get("first")).isEqualTo(100L);
        } finally {
            p.close();
        }
    }

    @Test
    void consoleLogShowsOnStderrWithThePluginAndStageOneLineEach() throws Exception {
        pipelines.file("chatty.js", """
                export function process(batch) {
                  console.log('batch of ' + batch.length + '\\nsecond line');
                  console.error('to stderr');
                  for (let i = 0; i < 3000; i++) console.log('flood ' + i);
                  return batch;
                }
                """);
        List<String> stderr;
        try (StderrCapture err = new StderrCapture()) {
            PipelineResult r = pipelines.run("""
                    name: talk
                    sources: { in: { use: seq, with: { count: 5 } } }
                    processors: { c: { use: ./chatty.js, from: in } }
                    sinks: { out: { use: collect, from: c, with: { name: chatty } } }
                    runtime: { batch_size: 5 }
                    """);
            assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
            stderr = err.lines();
        }
        List<String> mine =
                stderr.stream().filter(l -> l.startsWith("[chatty talk/c] ")).toList();
        assertThat(mine.subList(0, 3))
                .containsExactly(
                        "[chatty talk/c] batch of 5", "[chatty talk/c] second line", "[chatty talk/c] to stderr");
        long floods = mine.stream()
                .filter(l -> l.startsWith("[chatty talk/c] flood "))
                .count();
        assertThat(floods)
                .as("cut to the burst, plus what the rate allowed meanwhile")
                .isGreaterThanOrEqualTo(GuestConsole.BURST - 3)
                .isLessThan(3000);
        assertThat(mine)
                .last()
                .asString()
                .matches("\\[chatty talk/c] \\((\\d+) lines of output dropped: more than 100 lines/s\\)");
        long dropped = Long.parseLong(mine.get(mine.size() - 1).replaceAll("\\D*(\\d+) lines.*", "$1"));
        assertThat(floods + dropped).as("every line printed or counted").isEqualTo(3000);
    }
}
