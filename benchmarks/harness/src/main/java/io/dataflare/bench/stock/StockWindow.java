package io.dataflare.bench.stock;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The stock-indicator logic in plain Java, as the plugins compute it: one stock's last 15 prices, ma5 and ma10 (means
 * of the last 5 / 10) and rsi14 (100 x gains / (gains + losses) over the last 14 changes; 100 with no loss), each
 * rounded HALF_UP to 4 decimals, null until there are enough prices. The benchmark's baseline, and the reference
 * every output row of the engine is checked against.
 */
final class StockWindow {
    private static final int WINDOW = 15;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private final ArrayDeque<BigDecimal> prices = new ArrayDeque<>(WINDOW + 1);

    /** Adds a price and answers "ma5,ma10,rsi14" (empty where not yet defined), as the output's CSV columns. */
    String add(BigDecimal price) {
        prices.addLast(price);
        if (prices.size() > WINDOW) prices.removeFirst();
        return text(mean(5)) + "," + text(mean(10)) + "," + text(rsi());
    }

    private BigDecimal mean(int n) {
        if (prices.size() < n) return null;
        BigDecimal sum = BigDecimal.ZERO;
        Iterator<BigDecimal> it = prices.descendingIterator();
        for (int i = 0; i < n; i++) sum = sum.add(it.next());
        return sum.divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_UP);
    }

    private BigDecimal rsi() {
        if (prices.size() < WINDOW) return null;
        BigDecimal gains = BigDecimal.ZERO;
        BigDecimal losses = BigDecimal.ZERO;
        BigDecimal previous = null;
        for (BigDecimal p : prices) {
            if (previous != null) {
                BigDecimal change = p.subtract(previous);
                if (change.signum() > 0) gains = gains.add(change);
                else losses = losses.subtract(change);
            }
            previous = p;
        }
        if (losses.signum() == 0) return HUNDRED.setScale(4, RoundingMode.UNNECESSARY);
        return HUNDRED.multiply(gains).divide(gains.add(losses), 4, RoundingMode.HALF_UP);
    }

    private static String text(BigDecimal v) {
        return v == null ? "" : v.toPlainString();
    }
}
