package io.dataflare.polyglot;

import static io.dataflare.polyglot.Scripts.ids;
import static io.dataflare.polyglot.Scripts.load;
import static io.dataflare.polyglot.Scripts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The script contract in JavaScript: entry points, records, ctx, manifests. One host (engine) for the class. */
@Timeout(60)
class JavaScriptContractTest {
    @TempDir
    static Path dir;

    static JavaScriptHost host;

    @BeforeAll
    static void start() {
        host = new JavaScriptHost();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void mapKeepsTypesKeyHeadersAndEventTime() throws Exception {
        LoadedPlugin p = load(host, dir, "types.js", """
                export function map(r) {
                  return { ...r, n: r.n + 1, d: r.d * 2, whole: r.d * 2, text: r.s.toUpperCase(), flag: !r.b,
                           ts: r.ts, raw: r.raw, list: r.list.concat([3]), obj: { ...r.obj, y: 2 }, nothing: null,
                           newLong: 7, newDouble: 1.5, date: new Date(Date.UTC(2024, 0, 2)) };
                }
                """);
        Instant ts = Instant.parse("2024-05-01T10:00:00Z");
        Record in = Record.builder()
                .set("n", 41L)
                .set("d", 1.5)
                .set("s", "abc")
                .set("b", true)
                .set("ts", ts)
                .set("raw", new byte[] {1, 2, 3})
                .set("list", List.of(1L, 2L))
                .set("obj", Map.of("x", 1L))
                .key("k1")
                .header("source.line", "7")
                .eventTime(ts)
                .build();
        try (Processor proc = open(p, Map.of())) {
            Record out = proc.process(RecordBatch.of(in)).get(0);
            assertThat(out.get("n")).isEqualTo(42L);
            assertThat(out.get("d")).isEqualTo(3.0); // a double stays a double though JS says 3
            assertThat(out.get("text")).isEqualTo("ABC");
            assertThat(out.get("flag")).isEqualTo(false);
            assertThat(out.get("ts")).isEqualTo(ts); // ISO text in, timestamp back
            assertThat(out.getBytes("raw")).containsExactly(1, 2, 3);
            assertThat(out.getList("list")).containsExactly(1L, 2L, 3L);
            assertThat(out.getMap("obj")).containsEntry("x", 1L).containsEntry("y", 2L);
            assertThat(out.has("nothing")).isTrue();
            assertThat(out.get("nothing")).isNull();
            assertThat(out.get("newLong")).isEqualTo(7L);
            assertThat(out.get("newDouble")).isEqualTo(1.5);
            assertThat(out.get("date")).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
            assertThat(out.key()).isEqualTo("k1");
            assertThat(out.header("source.line")).isEqualTo("7");
            assertThat(out.eventTime()).isEqualTo(ts);
        }
    }

    @Test
    void mapReturningNullDropsAndShapesMayChange() throws Exception {
        LoadedPlugin p = load(host, dir, "drop.js", """
                export function map(r) {
                  if (r.id % 3 === 0) return null;
                  return r.id % 2 === 0 ? { id: r.id, even: true } : { id: r.id, odd: 'yes', extra: r.id * 10 };
                }
                """);
        try (Processor proc = open(p, Map.of())) {
            RecordBatch out = proc.process(ids(7));
            assertThat(out.stream().map(r -> r.getLong("id"))).containsExactly(1L, 2L, 4L, 5L);
            assertThat(out.get(0).fields().names()).containsExactly("id", "odd", "extra");
            assertThat(out.get(1).fields().names()).containsExactly("id", "even");
            assertThat(out.get(0).fields()).isSameAs(out.get(3).fields()); // one Fields per shape
        }
    }

    @Test
    void filterPassesTheInputRecordsThemselves() throws Exception {
        LoadedPlugin p = load(host, dir, "even.js", "export function filter(r) { return r.id % 2 === 0; }\n");
        RecordBatch in = ids(6);
        try (Processor proc = open(p, Map.of())) {
            RecordBatch out = proc.process(in);
            assertThat(out.size()).isEqualTo(3);
            assertThat(out.get(1)).isSameAs(in.get(2));
        }
    }

    @Test
    void flatMapEmitsSeveralRecordsPerInput() throws Exception {
        LoadedPlugin p = load(host, dir, "split.js", """
                export function flatMap(r) { return Array.from({ length: r.id }, (_, i) => ({ id: r.id, part: i })); }
                """);
        try (Processor proc = open(p, Map.of())) {
            RecordBatch out = proc.process(ids(4));
            assertThat(out.size()).isEqualTo(0 + 1 + 2 + 3);
            assertThat(out.get(5).getLong("part")).isEqualTo(2);
        }
    }

    @Test
    void processSeesTheWholeBatchAndConfig() throws Exception {
        LoadedPlugin p = load(host, dir, "sum.js", """
                export const manifest = {
                  id: 'summer', version: '1.2.0', kind: 'processor', description: 'sums ids',
                  config: { label: { type: 'string', default: 'total' }, factor: { type: 'long', required: true } },
                };
                export function process(batch, ctx) {
                  ctx.log.info('summing ' + batch.length);
                  console.log('console output goes to the log too');
                  const total = batch.reduce((s, r) => s + r.id, 0) * ctx.config.factor;
                  return [{ [ctx.config.label]: total, stage: ctx.stage }];
                }
                """);
        assertThat(p.manifest().label()).isEqualTo("summer@1.2.0");
        assertThat(p.manifest().language()).isEqualTo("javascript");
        assertThat(Scripts.factory(p).configSpec().option("timeout_ms")).isNotNull();
        try (Processor proc = open(p, Map.of("factor", 10))) {
            Record out = proc.process(ids(5)).get(0);
            assertThat(out.get("total")).isEqualTo(100L);
        }
    }

    @Test
    void rejectSendsOneRecordToTheErrorPolicy() throws Exception {
        LoadedPlugin p = load(host, dir, "reject.js", """
                export function map(r, ctx) { if (r.id === 2) { ctx.reject(r, 'id 2 is not allowed'); return null; } return r; }
                """);
        try (Processor proc = open(p, Map.of())) {
            RecordBatch out = proc.process(ids(4));
            assertThat(out.size()).isEqualTo(3);
            assertThat(out.rejections()).singleElement().satisfies(rj -> {
                assertThat(rj.reason()).isEqualTo("id 2 is not allowed");
                assertThat(rj.errorClass()).isEqualTo(ErrorClass.INVALID_RECORD);
                assertThat(rj.record().getLong("id")).isEqualTo(2);
            });
        }
    }

    @Test
    void stateNeedsTheCapabilityAndLastsAcrossBatches() throws Exception {
        LoadedPlugin counting = load(host, dir, "count.js", """
                /*
                 * id: counter
                 * version: 1.0.0
                 * kind: processor
                 * capabilities: [state]
                 */
                export function map(r, ctx) {
                  // the documented default of ctx.state.get(key[, default])
                  const seen = ctx.state.get(r.key, 0) + 1;
                  ctx.state.set(r.key, seen);
                  return { ...r, seen, missing: ctx.state.get('never-set') === undefined };
                }
                """);
        assertThat(counting.manifest().label()).isEqualTo("counter@1.0.0");
        Record a = Record.builder().set("key", "a").build();
        try (Processor proc = open(counting, Map.of())) {
            proc.process(RecordBatch.of(a, a));
            Record third = proc.process(RecordBatch.of(a)).get(0);
            assertThat(third.getLong("seen")).isEqualTo(3);
            assertThat(third.getBoolean("missing")).isTrue();
        }
        LoadedPlugin noCap =
                load(host, dir, "nocap.js", "export function map(r, ctx) { ctx.state.set('x', 1); return r; }\n");
        try (Processor proc = open(noCap, Map.of())) {
            assertThatThrownBy(() -> proc.process(ids(1)))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("nocap@0.0.0");
        }
    }

    @Test
    void aBareScriptIsAnAnonymousProcessorTakingAnyConfig() throws Exception {
        LoadedPlugin p =
                load(host, dir, "Mask Emails.mjs", "export const map = (r, ctx) => ({ ...r, tag: ctx.config.tag });\n");
        assertThat(p.manifest().label()).isEqualTo("mask-emails@0.0.0");
        try (Processor proc = open(p, Map.of("tag", "x", "timeout_ms", 500))) {
            assertThat(proc.process(ids(1)).get(0).get("tag")).isEqualTo("x");
        }
    }

    @Test
    void aThrowingScriptFailsTheBatchNamingThePluginAndLine() throws Exception {
        LoadedPlugin p = load(host, dir, "throws.js", """
                export function map(r) {
                  if (r.id === 1) throw new Error('no ones here');
                  return r;
                }
                """);
        try (Processor proc = open(p, Map.of())) {
            assertThatThrownBy(() -> proc.process(ids(3)))
                    .isInstanceOfSatisfying(
                            PluginException.class,
                            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.PLUGIN_ERROR))
                    .hasMessageContaining("javascript plugin throws@0.0.0")
                    .hasMessageContaining("no ones here")
                    .hasMessageContaining("throws.js:2");
            assertThat(proc.process(ids(1)).size())
                    .as("the context is still usable")
                    .isEqualTo(1);
        }
    }

    @Test
    void badScriptsFailAtLoadWithTheReason() {
        assertThatThrownBy(() -> load(host, dir, "syntax.js", "export function map(r) { return {; }\n"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("syntax.js")
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> load(host, dir, "noentry.js", "function map(r) { return r; }\n"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("exports none of");
        assertThatThrownBy(() -> load(
                        host,
                        dir,
                        "source.js",
                        "export const manifest = {id: 'x', version: '1.0.0', kind: 'source'};\n"
                                + "export function map(r) { return r; }\n"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("a source script must export poll(...)");
        assertThatThrownBy(() -> load(
                        host,
                        dir,
                        "policy.js",
                        "export const manifest = {id: 'x', version: '1.0.0', kind: 'policy'};\n"
                                + "export function decide(f) { return null; }\n"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("(a script says which policy it is)");
        assertThatThrownBy(() -> load(
                        host,
                        dir,
                        "reserved.js",
                        "export const manifest = {id: 'x', version: '1.0.0', kind: 'processor',"
                                + " config: {timeout_ms: {type: 'long'}}};\nexport function map(r) { return r; }\n"))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("sandbox option");
    }

    @Test
    void loadingAnEditedFileGivesANewPluginWithTheNewCode() throws Exception {
        LoadedPlugin v1 = load(host, dir, "edited.js", "export function map(r) { return { v: 1 }; }\n");
        LoadedPlugin v2 = load(host, dir, "edited.js", "export function map(r) { return { v: 2 }; }\n");
        assertThat(v2).isNotSameAs(v1);
        assertThat(v2.manifest().checksum()).isNotEqualTo(v1.manifest().checksum());
        try (Processor a = open(v1, Map.of());
                Processor b = open(v2, Map.of())) {
            assertThat(a.process(ids(1)).get(0).get("v")).isEqualTo(1L); // the old version keeps running its code
            assertThat(b.process(ids(1)).get(0).get("v")).isEqualTo(2L);
        }
    }

    @Test
    void closingThePluginClosesItsContexts() throws Exception {
        LoadedPlugin p = load(host, dir, "closing.js", "export function map(r) { return r; }\n");
        Processor a = open(p, Map.of());
        Processor b = open(p, Map.of());
        var factory = ScriptPluginAccess.factory(p);
        ScriptPluginAccess.assertOpenInstances(factory, 2);
        p.close();
        ScriptPluginAccess.assertOpenInstances(factory, 0);
        assertThatThrownBy(() -> a.process(ids(1))).hasMessageContaining("unloaded");
        b.close();
    }
}
