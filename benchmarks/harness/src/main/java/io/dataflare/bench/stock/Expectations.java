package io.dataflare.bench.stock;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each stock's output rows still expected, in order. An arriving row must be its stock's next one (same price,
 * same indicators): a lost row shows as a mismatch (its successor arrives first) or as rows still expected at the
 * end, a duplicated one as a mismatch or as a row nobody expected.
 */
final class Expectations {
    private record Row(BigDecimal price, String indicators) {}

    private final Map<String, ArrayDeque<Row>> byStock = new ConcurrentHashMap<>();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final List<String> firstProblems = new ArrayList<>();

    void expect(String stock, BigDecimal price, String indicators) {
        ArrayDeque<Row> q = byStock.computeIfAbsent(stock, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(new Row(price, indicators));
        }
    }

    void arrived(String stock, BigDecimal price, String indicators) {
        ArrayDeque<Row> q = byStock.get(stock);
        Row want;
        if (q == null) want = null;
        else {
            synchronized (q) {
                want = q.pollFirst();
            }
        }
        if (want == null) {
            unexpected.incrementAndGet();
            problem("unexpected row (none pending) for " + stock + ": " + price + "," + indicators);
        } else if (want.price.compareTo(price) != 0 || !want.indicators.equals(indicators)) {
            mismatched.incrementAndGet();
            problem(stock + ": expected " + want.price + "," + want.indicators + " got " + price + "," + indicators);
        } else matched.incrementAndGet();
    }

    private void problem(String p) {
        synchronized (firstProblems) {
            if (firstProblems.size() < 5) firstProblems.add(p);
        }
    }

    long pending() {
        long n = 0;
        for (ArrayDeque<Row> q : byStock.values()) {
            synchronized (q) {
                n += q.size();
            }
        }
        return n;
    }

    long matched() {
        return matched.get();
    }

    long mismatched() {
        return mismatched.get();
    }

    long unexpected() {
        return unexpected.get();
    }

    List<String> firstProblems() {
        synchronized (firstProblems) {
            return List.copyOf(firstProblems);
        }
    }

    /** "all N rows correct" or what went wrong. */
    String verdict() {
        long p = pending();
        if (mismatched() == 0 && unexpected() == 0 && p == 0)
            return String.format(java.util.Locale.ROOT, "all %,d rows as the plain-Java reference", matched());
        return String.format(
                java.util.Locale.ROOT,
                "%,d rows right, %,d wrong or out of order, %,d unexpected (duplicates), %,d never arrived; first: %s",
                matched(),
                mismatched(),
                unexpected(),
                p,
                firstProblems());
    }
}
