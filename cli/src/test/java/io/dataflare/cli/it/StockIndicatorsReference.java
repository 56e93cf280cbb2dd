package io.dataflare.cli.it;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stock-indicator example's expected output, computed in plain Java with {@link BigDecimal}, independently of
 * the plugins: for each stock a CSV {@code ts,stock_code,price,ma5,ma10,rsi14}, one row per tick in tick order.
 * {@code ma5}/{@code ma10}: mean of the stock's last 5/10 prices (this one included), empty before there are that
 * many; {@code rsi14}: over the last 14 price changes, RS = mean gain / mean loss, RSI = 100 - 100 / (1 + RS), 100
 * when there is no loss, empty before 15 prices. The means' common factor 1/14 cancels, so RSI = 100 G / (G + L)
 * with G, L the sums of gains and losses: computed that way, every result is one exact division rounded once to 4
 * decimals, HALF_UP, and printed with exactly 4 decimals.
 */
final class StockIndicatorsReference {
    static final String HEADER = "ts,stock_code,price,ma5,ma10,rsi14";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private StockIndicatorsReference() {}

    /** Stock code → the whole expected file's text (header first, LF line ends). */
    static Map<String, String> compute(Path ticks) throws IOException {
        List<String> lines = Files.readAllLines(ticks);
        if (lines.isEmpty() || !lines.get(0).equals(StockTicks.HEADER))
            throw new IllegalArgumentException(ticks + ": the header must be " + StockTicks.HEADER);
        Map<String, Deque<BigDecimal>> windows = new HashMap<>();
        Map<String, StringBuilder> files = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            String ts = Instant.parse(f[0]).toString();
            String code = f[1];
            BigDecimal price = new BigDecimal(f[2]);
            Deque<BigDecimal> window = windows.computeIfAbsent(code, k -> new ArrayDeque<>());
            window.addLast(price);
            if (window.size() > 15) window.removeFirst();
            List<BigDecimal> last = new ArrayList<>(window); // oldest first
            files.computeIfAbsent(code, k -> new StringBuilder(HEADER).append('\n'))
                    .append(String.join(",", ts, code, price.toPlainString(), mean(last, 5), mean(last, 10), rsi(last)))
                    .append('\n');
        }
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((code, text) -> out.put(code, text.toString()));
        return out;
    }

    static String mean(List<BigDecimal> prices, int n) {
        if (prices.size() < n) return "";
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal p : prices.subList(prices.size() - n, prices.size())) sum = sum.add(p);
        return sum.divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_UP).toPlainString();
    }

    static String rsi(List<BigDecimal> prices) {
        if (prices.size() < 15) return "";
        BigDecimal gains = BigDecimal.ZERO;
        BigDecimal losses = BigDecimal.ZERO;
        Iterator<BigDecimal> it =
                prices.subList(prices.size() - 15, prices.size()).iterator();
        BigDecimal previous = it.next();
        while (it.hasNext()) {
            BigDecimal p = it.next();
            BigDecimal change = p.subtract(previous);
            if (change.signum() > 0) gains = gains.add(change);
            else losses = losses.subtract(change);
            previous = p;
        }
        if (losses.signum() == 0) return HUNDRED.setScale(4).toPlainString();
        return HUNDRED.multiply(gains)
                .divide(gains.add(losses), 4, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
