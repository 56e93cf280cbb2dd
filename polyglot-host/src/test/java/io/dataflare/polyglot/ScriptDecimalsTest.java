package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decimals, timestamps and bytes cross into scripts and back: JavaScript sees a decimal as the string of its
 * digits, Python as a {@code decimal.Decimal}; what comes back for such a field has its type again.
 */
@Timeout(180)
class ScriptDecimalsTest {
    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");

    private static RecordBatch input() {
        return RecordBatch.of(Record.builder()
                .set("id", 1L)
                .set("price", new BigDecimal("12345678901234567.89"))
                .set("at", AT)
                .set("raw", new byte[] {1, 2, 3})
                .set("nested", List.of(new BigDecimal("2.50"), AT))
                .build());
    }

    @Test
    void javaScriptGetsDecimalsAsStringsAndHandsThemBack() throws Exception {
        String js = """
                export const manifest = { id: 'dec-js', version: '1.0.0', kind: 'processor' };
                export function map(r) {
                  return { ...r, kind: typeof r.price, doubled: r.price.length, copy: r.price, cents: '0.01',
                           nestedKind: typeof r.nested[0], asNumber: Number(r.price) };
                }
                """;
        try (JavaScriptHost host = new JavaScriptHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "dec.mjs", js);
            try (Processor proc = Scripts.open(p, Map.of())) {
                Record r = proc.process(input()).get(0);
                assertThat(r.get("kind")).isEqualTo("string");
                // unchanged fields keep their types: the decimal exact, the timestamp and bytes as they were
                assertThat(r.get("price")).isEqualTo(new BigDecimal("12345678901234567.89"));
                assertThat(r.get("at")).isEqualTo(AT);
                assertThat(r.getBytes("raw")).containsExactly(1, 2, 3);
                // new fields are what the script made them: a string stays a string
                assertThat(r.get("copy")).isEqualTo("12345678901234567.89");
                assertThat(r.get("cents")).isEqualTo("0.01");
                // nested decimals arrive as JSON numbers
                assertThat(r.get("nestedKind")).isEqualTo("number");
            } finally {
                p.close();
            }
        }
    }

    @Test
    void pythonGetsDecimalsAsDecimalAndArithmeticStaysExact() throws Exception {
        String py = """
                manifest = {"id": "dec-py", "version": "1.0.0", "kind": "processor"}
                import decimal

                def map(r):
                    r["kind"] = type(r["price"]).__name__
                    r["doubled"] = r["price"] * 2
                    r["cents"] = decimal.Decimal("0.01")
                    r["plus"] = r["price"] + decimal.Decimal("0.01")
                    r["at_kind"] = type(r["at"]).__name__
                    return r
                """;
        try (PythonHost host = new PythonHost()) {
            LoadedPlugin p = Scripts.load(host, dir, "dec.py", py);
            try (Processor proc = Scripts.open(p, Map.of())) {
                Record r = proc.process(input()).get(0);
                assertThat(r.get("kind")).isEqualTo("Decimal");
                assertThat(r.get("price")).isEqualTo(new BigDecimal("12345678901234567.89"));
                assertThat(r.getDecimal("doubled").toString()).isEqualTo("24691357802469135.78");
                assertThat(r.get("cents")).isEqualTo(new BigDecimal("0.01"));
                assertThat(r.getDecimal("plus").toString()).isEqualTo("12345678901234567.90");
                assertThat(r.get("at_kind")).isEqualTo("str");
                assertThat(r.get("at")).isEqualTo(AT);
                assertThat(r.getBytes("raw")).containsExactly(1, 2, 3);
            } finally {
                p.close();
            }
        }
    }
}
