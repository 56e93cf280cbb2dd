package io.dataflare.plugins.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP endpoint whose POSTed records the pipeline reads. A request is all or nothing: its body is read and
 * parsed whole (a bad line or element is answered 400 naming it, a body over the size cap 413, a full queue 429),
 * then its records are queued together and the request waits for its acknowledgement: 202 once the pipeline has
 * read them ({@code ack: read}) or, by default, once a durable checkpoint covers them ({@code ack: checkpoint},
 * through {@link #commit}). A sender that got no 202 (the run failed, the wait timed out with 503) sends again:
 * nothing acknowledged is lost.
 */
final class WebhookSource implements Source {
    private static final String SEQ = "seq";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;
    private final long maxBody;
    private final int capacity;
    private final boolean ackOnCheckpoint;
    private final long ackTimeoutMs;
    private final PluginMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Record> unread = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private long queued;
    private long read;
    private boolean closed;

    /** A request waiting for its acknowledgement: it is covered once the sequence number {@code last} is. */
    private record Pending(long last, CompletableFuture<Void> done) {}

    private WebhookSource(
            HttpServer server,
            ExecutorService executor,
            String path,
            long maxBody,
            int capacity,
            boolean ackOnCheckpoint,
            long ackTimeoutMs,
            PluginMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.path = path;
        this.maxBody = maxBody;
        this.capacity = capacity;
        this.ackOnCheckpoint = ackOnCheckpoint;
        this.ackTimeoutMs = ackTimeoutMs;
        this.metrics = metrics;
    }

    /** Binds {@code address} and starts answering. */
    static WebhookSource start(
            InetSocketAddress address,
            String path,
            long maxBody,
            int capacity,
            boolean ackOnCheckpoint,
            long ackTimeoutMs,
            PluginMetrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        WebhookSource s =
                new WebhookSource(server, executor, path, maxBody, capacity, ackOnCheckpoint, ackTimeoutMs, metrics);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The address the server listens on (with the port chosen when 0 was configured). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(path)) {
                answer(ex, 404, "no webhook at " + ex.getRequestURI().getPath() + "; records are POSTed to " + path);
                return;
            }
            if (!ex.getRequestMethod().equalsIgnoreCase("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                answer(ex, 405, "records are POSTed");
                return;
            }
            byte[] body = readBody(ex.getRequestBody());
            if (body == null) {
                answer(ex, 413, "the body is larger than max_body_bytes (" + maxBody + ")");
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            List<JsonRecords.Item> items = JsonRecords.read(text, isLines(ex, text));
            List<Record> records = new ArrayList<>(items.size());
            for (JsonRecords.Item item : items) {
                if (!item.ok()) {
                    answer(ex, 400, item.where() + ": " + item.error() + "; nothing of this request was queued");
                    return;
                }
                records.add(item.record());
            }
            CompletableFuture<Void> done = enqueue(records);
            if (done == null) {
                ex.getResponseHeaders().set("Retry-After", "1");
                answer(ex, 429, "the queue is full; nothing of this request was queued, send it again");
                return;
            }
            try {
                done.get(ackTimeoutMs, TimeUnit.MILLISECONDS);
                metrics.increment("records_accepted", records.size());
                answer(ex, 202, "{\"accepted\":" + records.size() + "}");
            } catch (TimeoutException e) {
                answer(ex, 503, "the records are queued but not yet acknowledged after ack_timeout_ms; send again");
            } catch (Exception e) {
                answer(ex, 503, "the source stopped before the records were acknowledged; send again");
            }
        }
    }

    private static boolean isLines(HttpExchange ex, String text) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && (type.contains("ndjson") || type.contains("jsonl") || type.contains("json-seq"))) {
            return true;
        }
        if (type != null && type.contains("application/json")) return false;
        return !text.stripLeading().startsWith("[");
    }

    /** The body, or null when it is larger than the cap (read no further than that). */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
        return b.length > maxBody ? null : b;
    }

    private static void answer(HttpExchange ex, int status, String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders()
                .set("Content-Type", message.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Queues the records together, or returns null when they do not fit. */
    private CompletableFuture<Void> enqueue(List<Record> records) {
        lock.lock();
        try {
            if (closed) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                f.completeExceptionally(new IllegalStateException("closed"));
                return f;
            }
            if (!unread.isEmpty() && unread.size() + records.size() > capacity) return null;
            unread.addAll(records);
            queued += records.size();
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (records.isEmpty()) done.complete(null);
            else pending.add(new Pending(queued, done));
            notEmpty.signalAll();
            return done;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RecordBatch poll(int maxRecords) throws InterruptedException {
        lock.lock();
        try {
            if (unread.isEmpty()) notEmpty.await(100, TimeUnit.MILLISECONDS);
            if (unread.isEmpty()) return RecordBatch.EMPTY;
            RecordBatch.Builder out = RecordBatch.builder(Math.min(maxRecords, unread.size()));
            while (!unread.isEmpty() && out.size() < maxRecords) out.add(unread.poll());
            read += out.size();
            if (!ackOnCheckpoint) acknowledge(read);
            return out.position(Map.of(SEQ, read)).build();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void commit(Map<String, Object> position) {
        if (!(position.get(SEQ) instanceof Number n)) return;
        lock.lock();
        try {
            acknowledge(n.longValue());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queued records live in this run only: a checkpoint's position says nothing about a new run's queue, and
     * whatever an earlier run read but no checkpoint covered was never acknowledged, so its senders send it again.
     */
    @Override
    public void seek(Map<String, Object> position) {}

    private void acknowledge(long upTo) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.last() <= upTo) {
                p.done().complete(null);
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Pending p : pending) p.done().completeExceptionally(new IllegalStateException("closed"));
            pending.clear();
        } finally {
            lock.unlock();
        }
        // Let the handlers answer 503 to the requests just failed (up to a second) before the server goes.
        server.stop(1);
        executor.shutdownNow();
    }
}
