package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaScript batches cross in host arrays: records in as columns (a record with a list, map or decimal on its
 * own), results out as rows the host takes when its arrays are full and at the end of the call, plain values
 * that way and others (objects, arrays, undefined) by a call of their own. Whatever way each took, the output
 * keeps the script's order and the value types the one-call-per-record path gave.
 */
@Timeout(180)
class ScriptBatchArraysTest {
    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");

    /** {@code n} records {id, name, n}; every 500th has a list for n, so it crosses on its own between column runs. */
    private static List<Record> records(int n) {
        List<Record> in = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            Object value = i % 500 == 3 ? List.of(1L) : i;
            in.add(Record.builder()
                    .set("id", i)
                    .set("name", "x" + i)
                    .set("n", value)
                    .build());
        }
        return in;
    }

    @Test
    void resultsKeepTheirOrderAcrossFlushesAndValuesThatCrossByCall() throws Exception {
        // two results per input, more rows than the host arrays hold, every 7th with an object value
        String js = """
                export const manifest = { id: 'rows-js', version: '1.0.0', kind: 'processor' };
                export function flatMap(r) {
                  const a = { id: r.id, part: 'a', n: r.n * 2 };
                  const b = r.id % 7 === 0 ? { id: r.id, part: 'b', n: { nested: r.name } } : { id: r.id, part: 'b', n: r.name };
                  return [a, b];
                }
                """;
        List<Record> in = records(3000);
        try (JavaScriptHost host = new JavaScriptHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "rows.mjs", js);
            try (Processor proc = Scripts.open(p, Map.of())) {
                for (int round = 0; round < 2; round++) {
                    RecordBatch out = proc.process(RecordBatch.of(in));
                    assertThat(out.size()).isEqualTo(6000);
                    for (int k = 0; k < 6000; k++) {
                        Record r = out.get(k);
                        long id = k / 2;
                        assertThat(r.get("id")).isEqualTo(id);
                        assertThat(r.get("part")).isEqualTo(k % 2 == 0 ? "a" : "b");
                        if (k % 2 == 0 && id % 500 != 3) assertThat(r.get("n")).isEqualTo(id * 2);
                        if (k % 2 == 1) {
                            assertThat(r.get("n")).isEqualTo(id % 7 == 0 ? Map.of("nested", "x" + id) : "x" + id);
                        }
                    }
                }
            } finally {
                p.close();
            }
        }
    }

    @Test
    void valuesComeBackWithTheTypesTheyHad() throws Exception {
        String js = """
                export const manifest = { id: 'types-js', version: '1.0.0', kind: 'processor' };
                export function map(r) {
                  return { ...r, half: r.whole / 4, twice: r.whole * 2, big: 1e20, huge: 2 ** 63, flag: !r.flag,
                           nothing: null, undef: undefined, text: 'é' + r.name, kind: typeof r.at };
                }
                """;
        Record in = Record.builder()
                .set("id", 7L)
                .set("whole", 2.0)
                .set("name", "n")
                .set("flag", true)
                .set("empty", null)
                .set("at", AT)
                .set("raw", new byte[] {1, 2, 3})
                .key("k")
                .build();
        try (JavaScriptHost host = new JavaScriptHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "types.mjs", js);
            try (Processor proc = Scripts.open(p, Map.of())) {
                Record r = proc.process(RecordBatch.of(in)).get(0);
                assertThat(r.get("id")).isEqualTo(7L);
                assertThat(r.get("whole")).isEqualTo(2.0); // a double in, a double out, although whole
                assertThat(r.get("half")).isEqualTo(0.5);
                assertThat(r.get("twice")).isEqualTo(4L); // a new whole number is a long
                assertThat(r.get("big")).isEqualTo(new BigDecimal("100000000000000000000"));
                assertThat(r.get("huge")).isEqualTo(new BigDecimal("9223372036854775808"));
                assertThat(r.get("flag")).isEqualTo(false);
                assertThat(r.get("nothing")).isNull();
                assertThat(r.fields().contains("undef")).isTrue();
                assertThat(r.get("undef")).isNull();
                assertThat(r.get("text")).isEqualTo("én");
                assertThat(r.get("kind")).isEqualTo("string");
                assertThat(r.get("at")).isEqualTo(AT);
                assertThat(r.getBytes("raw")).containsExactly(1, 2, 3);
                assertThat(r.key()).isEqualTo("k");
            } finally {
                p.close();
            }
        }
    }

    @Test
    void pythonResultsKeepTheirOrderAndTheirFloatsAcrossFlushes() throws Exception {
        // two results per input, more rows than the host arrays hold, every 7th with a dict value, and values
        // that cannot go by the arrays (an int beyond the long range, a Decimal)
        String py = """
                manifest = {'id': 'rows-py', 'version': '1.0.0', 'kind': 'processor'}
                import decimal

                def flat_map(r):
                    a = {'id': r['id'], 'part': 'a', 'n': r['n'] * 2, 'f': 2.0, 'flag': r['id'] % 2 == 0, 'none': None}
                    if r['id'] % 7 == 0:
                        b = {'id': r['id'], 'part': 'b', 'n': {'nested': r['name']}}
                    elif r['id'] % 11 == 0:
                        b = {'id': r['id'], 'part': 'b', 'n': 2 ** 70}
                    elif r['id'] % 13 == 0:
                        b = {'id': r['id'], 'part': 'b', 'n': decimal.Decimal('1.50')}
                    else:
                        b = {'id': r['id'], 'part': 'b', 'n': r['name']}
                    return [a, b]
                """;
        List<Record> in = records(1500);
        try (PythonHost host = new PythonHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "rows.py", py);
            // a cold interpreter on a loaded machine: the default time limit is not what this test is about
            try (Processor proc = Scripts.open(p, Map.of("timeout_ms", 60_000))) {
                RecordBatch out = proc.process(RecordBatch.of(in));
                assertThat(out.size()).isEqualTo(3000);
                for (int k = 0; k < 3000; k++) {
                    Record r = out.get(k);
                    long id = k / 2;
                    assertThat(r.get("id")).isEqualTo(id);
                    assertThat(r.get("part")).isEqualTo(k % 2 == 0 ? "a" : "b");
                    if (k % 2 == 0) {
                        if (id % 500 != 3) assertThat(r.get("n")).isEqualTo(id * 2);
                        assertThat(r.get("f")).isEqualTo(2.0); // a Python float stays a double although whole
                        assertThat(r.get("flag")).isEqualTo(id % 2 == 0);
                        assertThat(r.get("none")).isNull();
                    } else {
                        Object expected = id % 7 == 0
                                ? Map.of("nested", "x" + id)
                                : id % 11 == 0
                                        ? new BigDecimal(java.math.BigInteger.TWO.pow(70))
                                        : id % 13 == 0 ? new BigDecimal("1.50") : "x" + id;
                        assertThat(r.get("n")).as("record %d", k).isEqualTo(expected);
                    }
                }
            } finally {
                p.close();
            }
        }
    }

    @Test
    void aFilterKeepsTheInputRecordsThemselvesInOrder() throws Exception {
        String js = """
                export const manifest = { id: 'keep-js', version: '1.0.0', kind: 'processor' };
                export function filter(r) { return r.id % 3 !== 0; }
                """;
        List<Record> in = new ArrayList<>();
        for (long i = 0; i < 2500; i++) in.add(Record.builder().set("id", i).build());
        try (JavaScriptHost host = new JavaScriptHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "keep.mjs", js);
            try (Processor proc = Scripts.open(p, Map.of())) {
                RecordBatch out = proc.process(RecordBatch.of(in));
                List<Record> expected =
                        in.stream().filter(r -> r.getLong("id") % 3 != 0).toList();
                assertThat(out.size()).isEqualTo(expected.size());
                for (int k = 0; k < expected.size(); k++) assertThat(out.get(k)).isSameAs(expected.get(k));
            } finally {
                p.close();
            }
        }
    }
}
