package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.QuietSource;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctx.timers} and {@code onTimer} / {@code on_timer} of JavaScript and Python processors in real runs. */
@Timeout(120)
class ScriptTimersTest {
    @TempDir
    static Path dir;

    static ScriptPipelines pipelines;

    @BeforeAll
    static void start() {
        pipelines = new ScriptPipelines(dir)
                .plugin("alarm.js", """
                        export const manifest = { id: 'alarm-js', version: '1.0.0', kind: 'processor', capabilities: ['state'] };
                        export function process(batch, ctx) {
                          for (const r of batch) {
                            if (ctx.state.get(r.key) !== undefined) continue;
                            ctx.state.set(r.key, true);
                            ctx.timers.registerProcessingTimer(r.key, ctx.timers.currentProcessingTime() + 300);
                          }
                          return [];
                        }
                        export function onTimer(t, ctx) {
                          return [{ key: t.key, time: t.time, domain: t.domain, lang: 'js' }];
                        }
                        """)
                .plugin("alarm.py", """
                        # id: alarm-py
                        # version: 1.0.0
                        # kind: processor
                        # capabilities: [state]
                        def process(batch, ctx):
                            for r in batch:
                                if ctx.state.get(r['key']) is not None:
                                    continue
                                ctx.state.set(r['key'], True)
                                ctx.timers.register_processing_timer(r['key'], ctx.timers.current_processing_time() + 300)
                            return []
                        def on_timer(t, ctx):
                            return [{'key': t['key'], 'time': t['time'], 'domain': t['domain'], 'lang': 'py'}]
                        """)
                .plugin("event.js", """
                        export const manifest = { id: 'event-js', version: '1.0.0', kind: 'processor', capabilities: ['state'] };
                        export function process(batch, ctx) {
                          for (const r of batch) {
                            ctx.timers.registerEventTimer(r.key, r.id + 10);
                            ctx.timers.advanceWatermark(r.id);
                          }
                          return [];
                        }
                        export function onTimer(t, ctx) {
                          if (t.time > ctx.timers.currentWatermark()) throw new Error('fired early: ' + t.time);
                          return [{ key: t.key, time: t.time, domain: t.domain }];
                        }
                        """)
                .plugin("once.js", """
                        export const manifest = { id: 'once-js', version: '1.0.0', kind: 'processor', capabilities: ['state'] };
                        let calls = 0;
                        export function process(batch, ctx) {
                          calls++;
                          const at = ctx.timers.currentProcessingTime() + 100;
                          ctx.timers.registerProcessingTimer(calls === 1 ? 'ghost' : 'real', at);
                          if (calls === 1) throw new Error('the first call fails after registering a timer');
                          return [];
                        }
                        export function onTimer(t, ctx) {
                          return [{ key: t.key }];
                        }
                        """);
        pipelines.plugins.add(new QuietSource());
    }

    @AfterAll
    static void stop() {
        pipelines.close();
    }

    private static List<Record> out(String name) {
        synchronized (pipelines.plugins.collected(name)) {
            return new ArrayList<>(pipelines.plugins.collected(name));
        }
    }

    private void firesWithoutInput(String plugin, String sink) throws Exception {
        PipelineRun run = pipelines.engine().start(TestEngines.plan(pipelines.engine(), """
                sources: { in: { use: quiet, with: { count: 50, keys: 5 } } }
                processors: { p: { use: %s, from: in, parallelism: 2, routing: { key: key } } }
                sinks: { out: { use: collect, from: p, with: { name: %s } } }
                """.formatted(plugin, sink)));
        await().atMost(Duration.ofSeconds(30)).until(() -> out(sink).size() >= 5);
        assertThat(run.state()).isEqualTo(PipelineState.RUNNING);
        Thread.sleep(500);
        run.stop();
        run.await();
        List<Record> out = out(sink);
        assertThat(out.stream().map(r -> r.getString("key")).sorted().toList())
                .as("one timer per key, each fired once, while no input arrived")
                .containsExactly("k0", "k1", "k2", "k3", "k4");
        assertThat(out).allSatisfy(r -> assertThat(r.getString("domain")).isEqualTo("processing"));
    }

    @Test
    void aJavaScriptProcessingTimeTimerFiresWithoutInput() throws Exception {
        firesWithoutInput("alarm-js", "js");
    }

    @Test
    void aPythonProcessingTimeTimerFiresWithoutInput() throws Exception {
        firesWithoutInput("alarm-py", "py");
    }

    /** A batch of two records whose first call fails: the engine re-runs it record by record. */
    @Test
    void aFailedCallsTimerRegistrationsAreDropped() throws Exception {
        PipelineRun run = pipelines.engine().start(TestEngines.plan(pipelines.engine(), """
                sources: { in: { use: quiet, with: { count: 2, keys: 1 } } }
                processors: { p: { use: once-js, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: once } } }
                """));
        await().atMost(Duration.ofSeconds(30)).until(() -> !out("once").isEmpty());
        Thread.sleep(500);
        run.stop();
        run.await();
        assertThat(out("once").stream().map(r -> r.getString("key")).toList())
                .as("the failed call's timer never fires; the re-run's (one call per record) do")
                .containsOnly("real");
    }

    @Test
    void javaScriptEventTimeTimersFireInTimeOrderAndAllAtTheEndOfInput() throws Exception {
        PipelineResult r = pipelines.run("""
                sources: { in: { use: seq, with: { count: 500, keys: 7, chunk: 37 } } }
                processors: { p: { use: event-js, from: in } }
                sinks: { out: { use: collect, from: p, with: { name: event } } }
                runtime: { batch_size: 37 }
                """);
        assertThat(r.state()).as(String.valueOf(r.failure())).isEqualTo(PipelineState.COMPLETED);
        assertThat(out("event").stream().map(x -> x.getLong("time")).toList())
                .isEqualTo(java.util.stream.LongStream.range(10, 510).boxed().toList());
    }
}
