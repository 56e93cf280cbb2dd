package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * The {@code tcp} sink: connects to {@code HOST:PORT} and writes each batch as CSV rows (the header line
 * first on every connection) or JSON lines. When the peer goes away it reconnects with a bounded backoff
 * and writes the batch again, together with the batch before it: TCP accepts bytes into the kernel's buffers
 * before the peer has read them, so the previous batch may have been lost with the connection. Delivery is
 * at-least-once: a peer may see a batch twice after a reconnect.
 */
final class TcpSink implements Sink {
    static final String ATTEMPTS = "reconnect_attempts";
    static final String INITIAL_MS = "reconnect_initial_ms";
    static final String MAX_MS = "reconnect_max_ms";
    static final String TIMEOUT_MS = "connect_timeout_ms";

    private final HostPort to;
    private final BatchEncoder encoder;
    private final Backoff backoff;
    private final int timeoutMs;
    private final PluginMetrics metrics;
    private final System.Logger logger;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    /** The last batch written on the current connection, not known to have reached the peer. */
    private byte[] unconfirmed;

    TcpSink(
            HostPort to,
            BatchEncoder encoder,
            Backoff backoff,
            int timeoutMs,
            PluginMetrics metrics,
            System.Logger logger) {
        this.to = to;
        this.encoder = encoder;
        this.backoff = backoff;
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.logger = logger;
    }

    static Backoff backoff(PluginConfig c) {
        return new Backoff(c.getLong(INITIAL_MS, 100), c.getLong(MAX_MS, 5000), c.getInt(ATTEMPTS, 10));
    }

    static void checkBackoff(PluginConfig c, List<ConfigError> errors) {
        TcpOptions.checkAtLeast(c, ATTEMPTS, 1, errors);
        TcpOptions.checkAtLeast(c, INITIAL_MS, 0, errors);
        TcpOptions.checkAtLeast(c, MAX_MS, 0, errors);
        TcpOptions.checkAtLeast(c, TIMEOUT_MS, 1, errors);
        if (c.getLong(ATTEMPTS, 1) > Integer.MAX_VALUE)
            errors.add(new ConfigError(ATTEMPTS, "must be at most " + Integer.MAX_VALUE));
        if (c.getLong(TIMEOUT_MS, 1) > Integer.MAX_VALUE)
            errors.add(new ConfigError(TIMEOUT_MS, "must be at most " + Integer.MAX_VALUE));
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        if (batch.isEmpty()) return;
        byte[] body = encoder.encode(batch);
        send(body);
        unconfirmed = body;
        metrics.increment("records_out", batch.size());
    }

    /** Writes {@code body}, reconnecting (and writing the unconfirmed batch first) as often as the backoff allows. */
    private void send(byte[] body) throws IOException, InterruptedException {
        while (true) {
            boolean fresh = socket == null;
            try {
                if (fresh) connect();
                else if (peerGone()) {
                    drop("the peer closed the connection");
                    continue;
                }
                if (fresh) {
                    out.write(encoder.preamble());
                    if (unconfirmed != null) out.write(unconfirmed);
                }
                if (body != null) out.write(body);
                out.flush();
                metrics.increment("bytes_out", (body == null ? 0 : body.length));
                backoff.reset();
                return;
            } catch (IOException e) {
                drop(e.getMessage());
                if (!backoff.failedThenWait())
                    throw new IOException(
                            "tcp sink could not write to " + to + " after " + backoff.failures() + " attempts: "
                                    + e.getMessage(),
                            e);
            }
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(to.address(), timeoutMs);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
        in = s.getInputStream();
        metrics.increment("connections", 1);
        logger.log(System.Logger.Level.DEBUG, "tcp sink connected to {0}", to);
    }

    /**
     * Whether the peer has closed or reset the connection, seen without blocking: a peer that closes sends
     * FIN (read gives -1) or RST (read fails). Anything the peer sends is read and ignored.
     */
    private boolean peerGone() {
        try {
            socket.setSoTimeout(1);
            byte[] discard = new byte[4096];
            // A peer that keeps talking is there; stop draining it after a while.
            for (int i = 0; i < 64; i++) {
                if (in.read(discard) < 0) return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void drop(String why) {
        if (socket == null) return;
        logger.log(System.Logger.Level.WARNING, "tcp sink: connection to {0} lost ({1}); reconnecting", to, why);
        metrics.increment("reconnects", 1);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already broken: nothing more to release.
        }
        socket = null;
        out = null;
        in = null;
    }

    /** Makes sure the connection still stands; when it went away, resends the unconfirmed batch on a new one. */
    @Override
    public void flush() throws Exception {
        if (socket != null && !peerGone()) {
            backoff.reset();
            return;
        }
        if (unconfirmed != null) {
            drop("the peer closed the connection");
            send(null);
            backoff.reset();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            flush();
        } finally {
            Socket s = socket;
            socket = null;
            if (s != null) s.close();
        }
    }
}
