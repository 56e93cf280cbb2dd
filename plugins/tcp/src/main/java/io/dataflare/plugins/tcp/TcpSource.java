package io.dataflare.plugins.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code tcp} source: listens on {@code HOST:PORT} and reads every client that connects, each on its own
 * thread, or connects out to {@code HOST:PORT} (again after the peer closes, with backoff). The connection
 * threads decode lines into one bounded queue that {@link #poll} drains, so the engine still sees one source
 * on one thread. It never ends by itself: {@code runtime.stop_when_idle_ms} ends a run once clients go
 * quiet. Records have no position: TCP input cannot be read again, so a run with this source takes no
 * checkpoints.
 */
final class TcpSource implements Source {
    private static final long POLL_WAIT_MS = 100;

    private final TcpFormat format;
    private final JsonFactory json;
    private final PluginMetrics metrics;
    private final System.Logger logger;
    private final int maxLine;
    private final BlockingQueue<Object> queue;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile IOException failure;
    private volatile boolean closed;

    TcpSource(TcpFormat format, PluginMetrics metrics, System.Logger logger, int maxLine, int queueRecords) {
        this.format = format;
        this.json = io.dataflare.json.RecordJson.newFactory();
        this.metrics = metrics;
        this.logger = logger;
        this.maxLine = maxLine;
        this.queue = new ArrayBlockingQueue<>(queueRecords);
        metrics.gauge("connections_open", open::size);
    }

    /** Binds {@code at} and starts accepting clients. */
    TcpSource listen(HostPort at) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(at.host(), at.port()));
        server = s;
        logger.log(System.Logger.Level.INFO, "tcp source listening on {0}", s.getLocalSocketAddress());
        start("tcp-accept-" + s.getLocalPort(), this::acceptLoop);
        return this;
    }

    /** Connects out to {@code to}, again whenever the peer closes, waiting per {@code backoff} between attempts. */
    TcpSource connect(HostPort to, Backoff backoff, int connectTimeoutMs) {
        start("tcp-connect-" + to, () -> connectLoop(to, backoff, connectTimeoutMs));
        return this;
    }

    /** The port the source listens on (the one picked when {@code listen} gave port 0). */
    int localPort() {
        return server.getLocalPort();
    }

    /** Connections accepted or made so far. */
    int connections() {
        return connections.get();
    }

    private interface Loop {
        void run() throws IOException, InterruptedException;
    }

    private synchronized void start(String name, Loop loop) {
        if (closed) return;
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                loop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                if (!closed) failure = e;
            }
        });
        threads.add(t);
        t.start();
    }

    private void acceptLoop() throws IOException {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketException e) {
                if (closed) return;
                throw e;
            }
            serve(s);
        }
    }

    private void serve(Socket s) {
        connections.incrementAndGet();
        metrics.increment("connections", 1);
        open.add(s);
        start("tcp-read-" + s.getRemoteSocketAddress(), () -> {
            try (s) {
                read(s);
            } finally {
                open.remove(s);
            }
        });
    }

    private void connectLoop(HostPort to, Backoff backoff, int timeoutMs) throws IOException, InterruptedException {
        while (!closed) {
            Socket s = new Socket();
            try {
                s.connect(to.address(), timeoutMs);
            } catch (IOException e) {
                s.close();
                if (closed) return;
                if (!backoff.failedThenWait())
                    throw new IOException(
                            "tcp source could not connect to " + to + " after " + backoff.failures() + " attempts: "
                                    + e.getMessage(),
                            e);
                continue;
            }
            backoff.reset();
            connections.incrementAndGet();
            metrics.increment("connections", 1);
            open.add(s);
            try (s) {
                read(s);
            } catch (IOException e) {
                if (closed) return;
                logger.log(
                        System.Logger.Level.WARNING, "tcp source: connection to {0} failed: {1}", to, e.getMessage());
            } finally {
                open.remove(s);
            }
            // The peer closed: connect again after the first backoff step (a closed connection is no failure).
            if (!closed) backoff.pause();
        }
    }

    private void read(Socket s) throws IOException, InterruptedException {
        ConnectionReader r = new ConnectionReader(s, new LineDecoder(format, json), queue, metrics, maxLine);
        logger.log(System.Logger.Level.DEBUG, "tcp source: {0} connected", r.peer());
        try {
            r.run();
        } catch (IOException e) {
            // A client that resets its connection ends that connection only, not the source.
            if (!closed) logger.log(System.Logger.Level.WARNING, "tcp source: {0}: {1}", r.peer(), e.getMessage());
        }
    }

    @Override
    public RecordBatch poll(int maxRecords) throws Exception {
        IOException f = failure;
        if (f != null) throw f;
        int max = Math.max(1, maxRecords);
        Object first = queue.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) return RecordBatch.EMPTY;
        List<Object> items = new ArrayList<>(Math.min(max, queue.size() + 1));
        items.add(first);
        queue.drainTo(items, max - 1);
        RecordBatch.Builder b = RecordBatch.builder(items.size());
        for (Object o : items) {
            if (o instanceof Record r) b.add(r);
            else b.reject((Rejection) o);
        }
        return b.build();
    }

    @Override
    public void close() throws IOException {
        List<Thread> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(threads);
        }
        ServerSocket s = server;
        if (s != null) s.close();
        for (Socket c : open) c.close();
        for (Thread t : all) t.interrupt();
    }
}
