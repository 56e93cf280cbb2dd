package io.dataflare.bench.stock;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The baseline: the same indicators computed by plain Java on one thread over ticks in memory (CSV lines like the
 * feed's): split the line, keep the stock's window, compute ma5 / ma10 / rsi14 with {@link StockWindow}, format the
 * output CSV row. No sockets, no files, no engine: what the indicator work alone costs on this machine.
 */
final class JavaBaseline {
    private JavaBaseline() {}

    /** Ticks per second over {@code ticks} ticks of {@code stocks} stocks, after running for {@code warmUpNanos}. */
    static double ticksPerSecond(int ticks, int stocks, long warmUpNanos) {
        String[] lines = lines(ticks, stocks);
        long end = System.nanoTime() + warmUpNanos;
        while (System.nanoTime() < end) run(lines);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            long chars = run(lines);
            best = Math.min(best, System.nanoTime() - t0);
            if (chars == 0) throw new IllegalStateException("no output");
        }
        return ticks / (best / 1e9);
    }

    private static long run(String[] lines) {
        Map<String, StockWindow> windows = new HashMap<>();
        long chars = 0;
        for (String line : lines) {
            String[] f = line.split(",", -1);
            String row = f[0] + "," + f[1] + "," + f[2] + ","
                    + windows.computeIfAbsent(f[1], k -> new StockWindow()).add(new BigDecimal(f[2]));
            chars += row.length();
        }
        return chars;
    }

    private static String[] lines(int ticks, int stocks) {
        SplittableRandom random = new SplittableRandom(42);
        long[] cents = new long[stocks];
        for (int s = 0; s < stocks; s++) cents[s] = 10_000 + random.nextLong(20_000);
        String[] lines = new String[ticks];
        long ts = java.time.Instant.parse("2026-01-05T09:30:00Z").toEpochMilli();
        for (int i = 0; i < ticks; i++) {
            int s = random.nextInt(stocks);
            cents[s] = Math.max(100, cents[s] + random.nextLong(-25, 26));
            lines[i] = java.time.Instant.ofEpochMilli(ts + i) + "," + TickFeed.stockCode(s) + ","
                    + BigDecimal.valueOf(cents[s], 2).toPlainString() + "," + (1 + random.nextInt(5000));
        }
        return lines;
    }
}
