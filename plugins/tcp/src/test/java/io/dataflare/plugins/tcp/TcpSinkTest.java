package io.dataflare.plugins.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tcp sink against a real server on loopback that goes away mid-way and comes back. */
@Timeout(60)
class TcpSinkTest {
    private static final Pattern ID = Pattern.compile("^(?:\\{\"id\":)?(\\d+),");
    private static final Fields FIELDS = Fields.of("id", "name");
    private static final Rejections NONE = new Rejections() {
        @Override
        public void reject(Record record, String reason) {
            throw new AssertionError("rejected " + record + ": " + reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            throw new AssertionError("rejected " + record, error);
        }
    };

    /** Every connection's lines, in order of connection. */
    private final List<List<String>> connections = new CopyOnWriteArrayList<>();

    private volatile boolean firstClosed;

    /** The distinct ids received so far, from JSON lines or CSV rows (headers skipped). */
    private Set<Long> receivedIds() {
        Set<Long> ids = new HashSet<>();
        for (List<String> c : connections) {
            for (String line : c) {
                Matcher m = ID.matcher(line);
                if (m.find()) ids.add(Long.parseLong(m.group(1)));
            }
        }
        return ids;
    }

    private static RecordBatch batch(int from, int n) {
        RecordBatch.Builder b = RecordBatch.builder(n);
        for (int i = from; i < from + n; i++) b.add(Record.of(FIELDS, (long) i, "name, " + i));
        return b.build();
    }

    /** Reads one connection; after {@code closeAfter} lines (if not negative) closes it; returns the lines. */
    private List<String> serveOne(ServerSocket server, int closeAfter) throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        connections.add(lines);
        try (Socket s = server.accept();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((closeAfter < 0 || lines.size() < closeAfter) && (line = in.readLine()) != null) lines.add(line);
        }
        return lines;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    /** Writes 200 records in batches of 10 while the server drops the first connection after 25 lines and restarts. */
    private void writeThroughAnOutage(String format) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ServerSocket first = bind(0)) {
            int port = first.getLocalPort();
            Future<?> server = pool.submit(() -> {
                serveOne(first, 25);
                first.close(); // the server is gone for a while: connection attempts are refused
                firstClosed = true;
                Thread.sleep(300);
                try (ServerSocket again = bind(port)) {
                    serveOne(again, -1);
                }
                return null;
            });
            Map<String, Object> with = Map.of(
                    "connect", "127.0.0.1:" + port,
                    "format", format,
                    "reconnect_initial_ms", 20,
                    "reconnect_max_ms", 100,
                    "reconnect_attempts", 50);
            CountingContext ctx = new CountingContext(new TcpSinkFactory(), with);
            try (Sink sink = new TcpSinkFactory().create(ctx)) {
                for (int b = 0; b < 20; b++) {
                    sink.write(batch(b * 10, 10), NONE);
                    // The pace of a peer that keeps up: the next batch comes once it read this one (or went away).
                    // TCP has no acknowledgements: a peer that vanishes with several batches unread loses them.
                    int written = (b + 1) * 10;
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> receivedIds().size() >= written || firstClosed);
                }
                sink.flush();
            }
            server.get(30, TimeUnit.SECONDS);
            assertThat(ctx.counter("reconnects"))
                    .as("the sink noticed the outage")
                    .isGreaterThanOrEqualTo(1);
            assertThat(ctx.counter("connections")).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void jsonLinesSurviveTheServerGoingAwayNoRecordMissing() throws Exception {
        writeThroughAnOutage("jsonl");
        assertThat(connections).hasSize(2);
        assertThat(connections.get(0)).hasSize(25);
        List<Long> ids = new ArrayList<>();
        for (List<String> c : connections)
            for (String line : c) {
                assertThat(line).startsWith("{\"id\":");
                ids.add(Long.parseLong(line.substring(6, line.indexOf(','))));
            }
        assertThat(ids.stream().distinct().sorted().toList())
                .as("every record arrived at least once")
                .isEqualTo(java.util.stream.LongStream.range(0, 200).boxed().toList());
    }

    @Test
    void csvStartsEveryConnectionWithTheHeaderAndLosesNoRow() throws Exception {
        writeThroughAnOutage("csv");
        assertThat(connections).hasSize(2);
        List<Long> ids = new ArrayList<>();
        for (List<String> c : connections) {
            assertThat(c.get(0)).isEqualTo("id,name");
            for (String line : c.subList(1, c.size())) {
                assertThat(line).matches("\\d+,\"name, \\d+\"");
                ids.add(Long.parseLong(line.substring(0, line.indexOf(','))));
            }
        }
        assertThat(ids.stream().distinct().sorted().toList())
                .isEqualTo(java.util.stream.LongStream.range(0, 200).boxed().toList());
    }

    @Test
    void aPeerThatNeverComesBackFailsTheWriteAfterTheBoundedAttempts() throws Exception {
        int port;
        try (ServerSocket s = bind(0)) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        Map<String, Object> with =
                Map.of("connect", "127.0.0.1:" + port, "reconnect_initial_ms", 5, "reconnect_attempts", 3);
        try (Sink sink = new TcpSinkFactory().create(new CountingContext(new TcpSinkFactory(), with))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sink.write(batch(0, 1), NONE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("tcp sink could not write to 127.0.0.1:" + port + " after 3 attempts");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("waited 5 + 10 ms between attempts")
                    .isGreaterThanOrEqualTo(15);
        }
    }
}
