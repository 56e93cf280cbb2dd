package io.dataflare.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An idempotent HTTP receiver of JSON-lines batches, on a fixed loopback port so that it can go down and come back
 * at the same address: it counts each {@code id} it was sent (a record sent twice is counted twice, so a test sees
 * duplicates) and when the first and last records arrived.
 */
final class IngestReceiver implements AutoCloseable {
    final int port;
    final Map<Long, Integer> counts = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong firstNanos = new AtomicLong();
    final AtomicLong lastNanos = new AtomicLong();
    /** How long each request takes to answer (a slow receiver keeps a run going while a test changes things). */
    volatile long delayMs;

    private HttpServer server;

    IngestReceiver() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/ingest";
    }

    synchronized void up() throws IOException {
        if (server != null) return;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Down: the port refuses connections. */
    synchronized void down() {
        if (server == null) return;
        server.stop(0);
        server = null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long n = 0;
            for (String line : body.split("\n")) {
                if (line.isBlank()) continue;
                JsonNode r = Distribution.JSON.readTree(line);
                counts.merge(r.get("id").asLong(), 1, Integer::sum);
                n++;
            }
            requests.incrementAndGet();
            long now = System.nanoTime();
            if (n > 0) {
                firstNanos.compareAndSet(0, now);
                lastNanos.set(now);
            }
            ex.sendResponseHeaders(200, -1);
        }
    }

    long distinct() {
        return counts.size();
    }

    long duplicates() {
        return counts.values().stream().mapToLong(c -> c - 1).sum();
    }

    @Override
    public void close() {
        down();
    }
}
