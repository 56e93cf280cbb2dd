package io.dataflare.plugins.files.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stream whose bytes arrive over time (standard input), read by a thread of its own and handed over in chunks,
 * so that its reader can wait for them a while and then give up ({@link #awaitReadable}): a source blocked in a
 * read of a pipe could not send the records it already has until the next line came. A few chunks at most wait
 * (the reading thread then blocks too, so a slow pipeline still holds the writer back). Closing leaves the
 * underlying stream open (standard input belongs to the process); its reading thread then reads on and drops
 * what comes, so that whoever writes into it is never blocked by a reader that has gone, and ends at the stream's
 * end.
 */
public final class TrickleInput extends InputStream {
    private static final int CHUNK = 64 * 1024;
    private static final Object END = new Object();

    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(4);
    private volatile boolean closed;
    private byte[] current;
    private int pos;
    private boolean ended;
    private IOException failure;
    /** {@link #read()}'s byte, not an array per call. */
    private final byte[] one = new byte[1];

    private TrickleInput() {}

    /** {@code in} read by a daemon thread named after {@code name}. */
    public static TrickleInput of(InputStream in, String name) {
        TrickleInput t = new TrickleInput();
        Thread.ofPlatform().daemon().name("df-" + name + "-reader").start(() -> t.pump(in));
        return t;
    }

    private void pump(InputStream in) {
        try {
            byte[] b = new byte[CHUNK];
            while (true) {
                int n = in.read(b);
                if (n < 0) {
                    hand(END);
                    return;
                }
                if (n > 0 && !closed) {
                    hand(n == CHUNK ? b : Arrays.copyOf(b, n));
                    if (n == CHUNK) b = new byte[CHUNK];
                }
            }
        } catch (IOException e) {
            try {
                hand(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code item} for the reader, waiting for room unless the reader has closed the stream. */
    private void hand(Object item) throws InterruptedException {
        while (!closed && !chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
            // the reader is behind: wait for it (or for its close)
        }
    }

    /** Stops handing bytes over: the reading thread drops what comes from now on. */
    @Override
    public void close() {
        closed = true;
        chunks.clear();
    }

    /**
     * Whether a read would return at once (bytes, the end or a failure are there), waiting up to {@code millis} for
     * them to arrive.
     */
    public boolean awaitReadable(long millis) throws InterruptedIOException {
        if (readable()) return true;
        try {
            Object next = millis <= 0 ? chunks.poll() : chunks.poll(millis, TimeUnit.MILLISECONDS);
            if (next == null) return false;
            take(next);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        }
    }

    private boolean readable() {
        return (current != null && pos < current.length) || ended || failure != null;
    }

    private void take(Object next) {
        if (next == END) {
            ended = true;
        } else if (next instanceof IOException e) {
            failure = e;
        } else {
            current = (byte[]) next;
            pos = 0;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!readable()) {
            try {
                take(chunks.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for input");
            }
        }
        if (current == null || pos >= current.length) {
            if (failure != null) throw failure;
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - pos;
    }
}
