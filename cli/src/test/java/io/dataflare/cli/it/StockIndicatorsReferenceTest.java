package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference the stock-indicator ITs compare with, checked against values worked out by hand. */
class StockIndicatorsReferenceTest {
    @TempDir
    Path dir;

    @Test
    void indicatorsOfAHandWorkedSeries() throws Exception {
        // A: +0.01, then -31.99, then flat: G = 0.01, L = 31.99, RSI = 100 * 0.01 / 32 = 0.03125 -> 0.0313 (HALF_UP)
        StringBuilder csv = new StringBuilder(StockTicks.HEADER + "\n");
        String[] a = {"100.00", "100.01", "68.02"};
        int second = 0;
        for (int i = 0; i < 16; i++) {
            String price = i < a.length ? a[i] : "68.02";
            csv.append("2026-01-05T09:30:%02d.500Z,A,%s,100\n".formatted(second++, price));
            if (i == 1) csv.append("2026-01-05T09:30:%02dZ,B,7.5,10\n".formatted(second++));
        }
        Path ticks = Files.writeString(dir.resolve("ticks.csv"), csv);

        Map<String, String> out = StockIndicatorsReference.compute(ticks);

        assertThat(out).containsOnlyKeys("A", "B");
        assertThat(out.get("B")).isEqualTo(StockIndicatorsReference.HEADER + "\n2026-01-05T09:30:02Z,B,7.5,,,\n");
        String[] rows = out.get("A").split("\n");
        assertThat(rows).hasSize(17);
        assertThat(rows[1]).isEqualTo("2026-01-05T09:30:00.500Z,A,100.00,,,");
        assertThat(rows[4]).isEqualTo("2026-01-05T09:30:04.500Z,A,68.02,,,");
        // (100.00 + 100.01 + 68.02 + 68.02 + 68.02) / 5 = 80.814
        assertThat(rows[5]).isEqualTo("2026-01-05T09:30:05.500Z,A,68.02,80.8140,,");
        // (100.00 + 100.01 + 8 * 68.02) / 10 = 74.417
        assertThat(rows[10]).isEqualTo("2026-01-05T09:30:10.500Z,A,68.02,68.0200,74.4170,");
        assertThat(rows[15]).isEqualTo("2026-01-05T09:30:15.500Z,A,68.02,68.0200,68.0200,0.0313");
        // the 16th price drops the first change (+0.01): only losses are left
        assertThat(rows[16]).isEqualTo("2026-01-05T09:30:16.500Z,A,68.02,68.0200,68.0200,0.0000");
    }

    @Test
    void noLossMeansRsi100() {
        List<BigDecimal> prices = new ArrayList<>();
        for (int i = 0; i < 15; i++) prices.add(BigDecimal.valueOf(10 + i % 2)); // 10, 11, 10, 11...
        assertThat(StockIndicatorsReference.rsi(prices)).isEqualTo("50.0000");
        for (int i = 0; i < 15; i++) prices.set(i, BigDecimal.valueOf(5));
        assertThat(StockIndicatorsReference.rsi(prices)).isEqualTo("100.0000");
        assertThat(StockIndicatorsReference.rsi(prices.subList(0, 14))).isEmpty();
    }
}
