package io.dataflare.bench.stock;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where the pipeline's second sink ({@code tcp}, JSON lines, written and flushed batch by batch) sends every output
 * row: a row's latency is the instant its line is read here minus its tick's {@code ts} (the instant the tick was
 * due to be sent). Each row is also checked against the plain-Java reference ({@link Expectations}).
 */
final class OutputProbe implements AutoCloseable {
    private final ServerSocket server;
    private final Clock clock;
    private final Expectations expected;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    // (due time, arrival time) of every row, in arrival order
    private long[] due = new long[1 << 20];
    private long[] arrival = new long[1 << 20];
    private int size;
    private volatile Throwable failure;

    OutputProbe(Clock clock, Expectations expected) throws IOException {
        this.clock = clock;
        this.expected = expected;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("probe-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().name("probe-read").start(() -> read(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket s) {
        try (s;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = clock.nanos();
                if (line.isBlank()) continue;
                JsonNode r = json.readTree(line);
                long dueAt = clock.nanosOf(timestamp(r.get("ts")));
                expected.arrived(
                        r.get("stock_code").asText(),
                        new BigDecimal(r.get("price").asText()),
                        text(r.get("ma5")) + "," + text(r.get("ma10")) + "," + text(r.get("rsi14")));
                record(dueAt, now);
            }
        } catch (IOException | RuntimeException e) {
            if (!server.isClosed()) failure = e;
        }
    }

    private static Instant timestamp(JsonNode ts) {
        if (ts.isNumber()) return Instant.ofEpochMilli(ts.asLong());
        return Instant.parse(ts.asText());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }

    private synchronized void record(long dueAt, long arrivedAt) {
        if (size == due.length) {
            due = Arrays.copyOf(due, size * 2);
            arrival = Arrays.copyOf(arrival, size * 2);
        }
        due[size] = dueAt;
        arrival[size] = arrivedAt;
        size++;
    }

    synchronized int rows() {
        return size;
    }

    /** The rows whose tick was due in [from, to): their latencies in ms, sorted. */
    synchronized double[] latenciesMs(long from, long to) {
        double[] out = new double[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (due[i] >= from && due[i] < to) out[n++] = (arrival[i] - due[i]) / 1e6;
        }
        double[] l = Arrays.copyOf(out, n);
        Arrays.sort(l);
        return l;
    }

    /** Rows that arrived in [from, to). */
    synchronized long arrivedBetween(long from, long to) {
        long n = 0;
        for (int i = 0; i < size; i++) if (arrival[i] >= from && arrival[i] < to) n++;
        return n;
    }

    /** The longest time in [from, to) with no row arriving, in ms. */
    synchronized double maxGapMs(long from, long to) {
        long last = from;
        long gap = 0;
        for (int i = 0; i < size; i++) {
            long a = arrival[i];
            if (a < from || a >= to) continue;
            gap = Math.max(gap, a - last);
            last = Math.max(last, a);
        }
        return Math.max(gap, to - last) / 1e6;
    }

    /** The value at percentile {@code p} (nearest rank) of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
