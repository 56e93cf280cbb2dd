package io.dataflare.plugins.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tcp source against real clients on loopback. */
@Timeout(60)
class TcpSourceTest {
    private static final int CLIENTS = 4;
    private static final int ROWS = 500;

    private final List<Record> records = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();

    private static TcpSource listen(CountingContext ctx) throws Exception {
        return (TcpSource) new TcpSourceFactory().create(ctx);
    }

    private static CountingContext context(Map<String, ?> with) {
        return new CountingContext(new TcpSourceFactory(), with);
    }

    /** Polls {@code source} until {@code done}, keeping what it produced. */
    private void pollUntil(TcpSource source, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("records in time").isLessThan(deadline);
            RecordBatch b = source.poll(100);
            assertThat(b).as("an unbounded source never ends").isNotNull();
            records.addAll(b.records());
            rejections.addAll(b.rejections());
        }
    }

    /** Sends {@code text} from several clients at once (each its own text); returns the bytes sent. */
    private static long sendConcurrently(int port, List<String> texts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(texts.size());
        CountDownLatch allConnected = new CountDownLatch(texts.size());
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (String text : texts) {
                sent.add(pool.submit(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        allConnected.countDown();
                        // Every client is connected before any sends: the source reads them side by side.
                        allConnected.await();
                        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                        OutputStream out = s.getOutputStream();
                        for (int off = 0; off < bytes.length; off += 1000) {
                            out.write(bytes, off, Math.min(1000, bytes.length - off));
                            out.flush();
                        }
                        return bytes.length;
                    }
                }));
            }
            long total = 0;
            for (Future<Integer> f : sent) total += f.get(30, TimeUnit.SECONDS);
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void severalCsvClientsAtOnceEachWithItsOwnHeaderEveryRowOnce() throws Exception {
        CountingContext ctx = context(Map.of("listen", "127.0.0.1:0", "format", "csv"));
        try (TcpSource source = listen(ctx)) {
            List<String> texts = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                // Clients disagree on column order: each connection's header names its own.
                StringBuilder sb = new StringBuilder(c % 2 == 0 ? "client,row,note\n" : "row,note,client\n");
                for (int r = 0; r < ROWS; r++) {
                    String note = "\"n, " + r + "\"";
                    sb.append(c % 2 == 0 ? c + "," + r + "," + note : r + "," + note + "," + c)
                            .append('\n');
                }
                texts.add(sb.toString());
            }
            long bytes = sendConcurrently(source.localPort(), texts);
            pollUntil(source, () -> records.size() >= CLIENTS * ROWS);
            // Anything more (a duplicate) would arrive now.
            records.addAll(source.poll(100).records());

            assertThat(rejections).isEmpty();
            assertThat(records).hasSize(CLIENTS * ROWS);
            Map<String, Integer> seen = new HashMap<>();
            for (Record r : records) {
                assertThat(r.getString("note")).isEqualTo("n, " + r.getString("row"));
                seen.merge(r.getString("client") + "/" + r.getString("row"), 1, Integer::sum);
            }
            assertThat(seen)
                    .hasSize(CLIENTS * ROWS)
                    .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            assertThat(source.connections()).isEqualTo(CLIENTS);
            assertThat(ctx.counter("connections")).isEqualTo(CLIENTS);
            assertThat(ctx.counter("bytes_in")).isEqualTo(bytes);
        }
    }

    @Test
    void severalJsonLinesClientsAtOnceEveryRecordOnce() throws Exception {
        CountingContext ctx = context(Map.of("listen", "127.0.0.1:0", "format", "jsonl"));
        try (TcpSource source = listen(ctx)) {
            List<String> texts = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                StringBuilder sb = new StringBuilder();
                for (int r = 0; r < ROWS; r++)
                    sb.append("{\"client\":")
                            .append(c)
                            .append(",\"row\":")
                            .append(r)
                            .append(",\"tags\":[\"a\"]}\r\n");
                texts.add(sb.toString());
            }
            sendConcurrently(source.localPort(), texts);
            pollUntil(source, () -> records.size() >= CLIENTS * ROWS);

            assertThat(rejections).isEmpty();
            Map<String, Integer> seen = new HashMap<>();
            for (Record r : records) {
                assertThat(r.getList("tags")).containsExactly("a");
                seen.merge(r.getLong("client") + "/" + r.getLong("row"), 1, Integer::sum);
            }
            assertThat(seen)
                    .hasSize(CLIENTS * ROWS)
                    .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        }
    }

    @Test
    void badLinesAreRejectedWithThePeerAndLineAndTheConnectionGoesOn() throws Exception {
        try (TcpSource json = listen(context(Map.of("listen", "127.0.0.1:0", "format", "jsonl")));
                Socket client = new Socket(InetAddress.getLoopbackAddress(), json.localPort())) {
            String peer = "127.0.0.1:" + client.getLocalPort();
            client.getOutputStream()
                    .write("{\"a\":1}\nnot json\n\n[1,2]\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            pollUntil(json, () -> records.size() + rejections.size() >= 4);

            assertThat(records).extracting(r -> r.getLong("a")).containsExactly(1L, 2L);
            assertThat(rejections).hasSize(2);
            Rejection first = rejections.get(0);
            assertThat(first.reason()).startsWith("tcp peer " + peer + " line 2: not JSON");
            assertThat(first.record().getString("raw")).isEqualTo("not json");
            assertThat(first.record().header("source.peer")).isEqualTo(peer);
            assertThat(first.record().header("source.line")).isEqualTo("2");
            assertThat(rejections.get(1).reason()).startsWith("tcp peer " + peer + " line 4: expected a JSON object");
        }
        records.clear();
        rejections.clear();
        try (TcpSource csv = listen(context(Map.of("listen", "127.0.0.1:0", "format", "csv")));
                Socket client = new Socket(InetAddress.getLoopbackAddress(), csv.localPort())) {
            String peer = "127.0.0.1:" + client.getLocalPort();
            client.getOutputStream().write("id,name\n1,ann\n2\n3,cy,extra\n4,dan\n".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            pollUntil(csv, () -> records.size() + rejections.size() >= 4);

            assertThat(records).extracting(r -> r.getString("name")).containsExactly("ann", "dan");
            assertThat(rejections)
                    .extracting(Rejection::reason)
                    .containsExactly(
                            "tcp peer " + peer + " line 3: expected 2 fields, found 1",
                            "tcp peer " + peer + " line 4: expected 2 fields, found 3");
            assertThat(rejections.get(1).record().getString("raw")).isEqualTo("3,cy,extra");
        }
    }

    @Test
    void connectModeReadsFromAServerAndConnectsAgainWhenItCloses() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, Object> with = Map.of(
                    "connect", "127.0.0.1:" + server.getLocalPort(), "format", "jsonl", "reconnect_initial_ms", 10);
            try (TcpSource source = listen(context(with))) {
                for (int conn = 0; conn < 2; conn++) {
                    try (Socket s = server.accept()) {
                        for (int i = 0; i < 10; i++)
                            s.getOutputStream()
                                    .write(("{\"conn\":" + conn + ",\"i\":" + i + "}\n")
                                            .getBytes(StandardCharsets.UTF_8));
                    }
                }
                pollUntil(source, () -> records.size() >= 20);
                assertThat(records)
                        .extracting(r -> r.getLong("conn") + "/" + r.getLong("i"))
                        .hasSize(20)
                        .doesNotHaveDuplicates();
                // Two served; the source is already connected (in the server's backlog) a third time.
                assertThat(source.connections()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aSourceWithoutClientsStaysOpenAndReturnsEmptyBatches() throws Exception {
        try (TcpSource source = listen(context(Map.of("listen", "127.0.0.1:0")))) {
            RecordBatch b = source.poll(10);
            assertThat(b).isNotNull();
            assertThat(b.isEmpty()).isTrue();
        }
    }
}
