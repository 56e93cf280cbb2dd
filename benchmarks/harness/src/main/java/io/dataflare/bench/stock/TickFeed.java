package io.dataflare.bench.stock;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends ticks ({@code ts,stock_code,price,volume} CSV, the header line first) over one TCP connection at a paced
 * rate. A tick's {@code ts} is the instant it was due by the schedule, not the instant it was written: when the
 * pipeline holds the socket back (backpressure) the wait counts in the tick's latency instead of hiding it. Every
 * tick sent is also computed by the plain-Java {@link StockWindow}, and its expected output row handed to the
 * {@link Expectations} (when there are any).
 */
final class TickFeed implements AutoCloseable {
    static final String HEADER = "ts,stock_code,price,volume\n";

    private final Clock clock;
    private final Expectations expected;
    private final SplittableRandom random;
    private final long[] cents; // each stock's last price, in cents
    private final StockWindow[] windows;
    private final Socket socket;
    private final OutputStream out;
    private long sent;

    TickFeed(int port, int stocks, long seed, Clock clock, Expectations expected) throws IOException {
        this.clock = clock;
        this.expected = expected;
        this.random = new SplittableRandom(seed);
        this.cents = new long[stocks];
        this.windows = new StockWindow[stocks];
        for (int s = 0; s < stocks; s++) {
            cents[s] = 10_000 + random.nextLong(20_000);
            windows[s] = new StockWindow();
        }
        this.socket = connect(port);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The tcp source listens once the run has started: try for up to 30 s. */
    private static Socket connect(int port) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                Socket s = new Socket("127.0.0.1", port);
                s.setTcpNoDelay(true);
                return s;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) throw e;
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    static String stockCode(int s) {
        return String.format("S%03d", s);
    }

    /**
     * Sends ticks at {@code perSecond} for {@code nanos}, in slices of about a millisecond.
     *
     * @return the ticks sent
     */
    long send(double perSecond, long nanos) throws IOException {
        return send(perSecond, nanos, 500_000L);
    }

    /** As {@link #send(double, long)}, in slices of {@code sliceNanos} (coarser when many feeds share the cores). */
    long send(double perSecond, long nanos, long sliceNanos) throws IOException {
        long start = clock.nanos();
        long count = 0;
        while (true) {
            long now = clock.nanos();
            long elapsed = now - start;
            if (elapsed >= nanos) break;
            long due = (long) (perSecond * elapsed / 1e9);
            for (; count < due; count++) {
                long dueAt = start + (long) (count * 1e9 / perSecond);
                tick(clock.instant(dueAt));
            }
            out.flush();
            LockSupport.parkNanos(sliceNanos);
        }
        out.flush();
        return count;
    }

    private void tick(Instant ts) throws IOException {
        int s = random.nextInt(cents.length);
        long c = Math.max(100, cents[s] + random.nextLong(-25, 26));
        cents[s] = c;
        BigDecimal price = BigDecimal.valueOf(c, 2);
        String code = stockCode(s);
        if (expected != null) expected.expect(code, price, windows[s].add(price));
        String line = ts + "," + code + "," + price.toPlainString() + "," + (1 + random.nextInt(5000)) + "\n";
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        sent++;
    }

    long sent() {
        return sent;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
