package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.Rejection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;

/**
 * Reads one connection to its end: each line becomes a record or, when it does not decode, a rejection
 * naming the peer and the line, put on the source's queue (which blocks when full, so a fast client is
 * slowed by TCP flow control instead of filling memory).
 */
final class ConnectionReader {
    /** The header naming the peer a rejected line came from. */
    static final String PEER_HEADER = "source.peer";
    /** The header giving the line (1-based, counted per connection) a rejected line was on. */
    static final String LINE_HEADER = "source.line";

    private static final Fields RAW = Fields.of("raw");
    private static final int MAX_RAW = 64 * 1024;

    private final Socket socket;
    private final String peer;
    private final LineDecoder decoder;
    private final BlockingQueue<Object> queue;
    private final PluginMetrics metrics;
    private final int maxLine;

    ConnectionReader(
            Socket socket, LineDecoder decoder, BlockingQueue<Object> queue, PluginMetrics metrics, int maxLine) {
        this.socket = socket;
        this.peer = socket.getRemoteSocketAddress().toString().replaceFirst("^[^/]*/", "");
        this.decoder = decoder;
        this.queue = queue;
        this.metrics = metrics;
        this.maxLine = maxLine;
    }

    String peer() {
        return peer;
    }

    /** Reads until the peer closes the connection (or the socket is closed under it). */
    void run() throws IOException, InterruptedException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new CountingInputStream(socket.getInputStream(), metrics, "bytes_in"), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            long lineNo = 0;
            boolean tooLong = false;
            int c;
            while (true) {
                c = in.read();
                if (c == '\n' || (c < 0 && (line.length() > 0 || tooLong))) {
                    lineNo++;
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
                    if (tooLong) reject(line.toString() + "...", lineNo, "line longer than " + maxLine + " characters");
                    else handle(line.toString(), lineNo);
                    line.setLength(0);
                    tooLong = false;
                }
                if (c < 0) return;
                if (c == '\n') continue;
                if (line.length() < maxLine) line.append((char) c);
                else if (!tooLong) {
                    // Keep the start of the line for the dead letter; drop the rest up to its end.
                    tooLong = true;
                    line.setLength(Math.min(line.length(), MAX_RAW));
                }
            }
        }
    }

    private void handle(String line, long lineNo) throws InterruptedException {
        Record r;
        try {
            r = decoder.decode(line);
        } catch (LineDecoder.BadLine e) {
            reject(line, lineNo, e.getMessage());
            return;
        }
        if (r != null) queue.put(r);
    }

    private void reject(String raw, long lineNo, String problem) throws InterruptedException {
        Record r = Record.builder(RAW)
                .set(0, raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "..." : raw)
                .header(PEER_HEADER, peer)
                .header(LINE_HEADER, Long.toString(lineNo))
                .build();
        metrics.increment("lines_rejected", 1);
        queue.put(Rejection.invalid(r, "tcp peer " + peer + " line " + lineNo + ": " + problem));
    }
}
