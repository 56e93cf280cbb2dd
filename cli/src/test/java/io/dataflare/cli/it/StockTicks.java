package io.dataflare.cli.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Deterministic stock ticks ({@code ts,stock_code,price,volume}, in ts order) for the stock-indicator example: each
 * stock's price is a random walk in cents (steps of -50..+50 cents, some of them zero, never below 1.00), ticks
 * 1..250 ms apart. The same arguments always give the same bytes. JDK only, so it also runs as a script:
 * {@code java cli/src/test/java/io/dataflare/cli/it/StockTicks.java OUT.csv TICKS STOCKS SEED}.
 */
public final class StockTicks {
    static final String HEADER = "ts,stock_code,price,volume";
    private static final Instant START = Instant.parse("2026-01-05T09:30:00Z");

    private StockTicks() {}

    /** Writes {@code ticks} ticks over {@code stocks} stocks (codes {@code S000}, {@code S001}...). */
    public static void write(Path file, int ticks, int stocks, long seed) throws IOException {
        Random random = new Random(seed);
        long[] cents = new long[stocks];
        for (int s = 0; s < stocks; s++) cents[s] = 1_000 + random.nextInt(50_000);
        Instant ts = START;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (int i = 0; i < ticks; i++) {
                ts = ts.plusMillis(1 + random.nextInt(250));
                int s = random.nextInt(stocks);
                cents[s] = Math.max(100, cents[s] + random.nextInt(101) - 50);
                String price = (cents[s] / 100) + "." + String.format("%02d", cents[s] % 100);
                w.write(ts + "," + code(s) + "," + price + "," + (100 * (1 + random.nextInt(50))) + "\n");
            }
        }
    }

    static String code(int stock) {
        return String.format("S%03d", stock);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: java StockTicks.java OUT.csv TICKS STOCKS SEED");
            System.exit(2);
        }
        write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
    }
}
