package io.dataflare.plugins.files.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A growable byte window over an input stream, shared by the CSV and JSON-lines decoders. Decoders read
 * {@link #buffer()} between {@link #start()} and {@link #limit()} directly (no copy, no charset decoding
 * of the whole stream) and call {@link #more} when the row they are scanning runs past the window.
 *
 * <p>A UTF-8 byte order mark at the very start is skipped.
 */
public final class ByteInput {
    /** The result of {@link #more} when reading would block. */
    public static final int WOULD_BLOCK = 0;
    /** The result of {@link #more} at end of input. */
    public static final int EOF = -1;

    /** The usual limit on a row: large enough for any sane record, small enough to bound memory. */
    public static final int DEFAULT_MAX_ROW = 16 * 1024 * 1024;
    /** The source option that overrides it. */
    public static final String MAX_RECORD_BYTES = "max_record_bytes";

    /** Declares {@code max_record_bytes}. */
    public static io.dataflare.api.config.ConfigSpec.Builder declareMaxRecord(
            io.dataflare.api.config.ConfigSpec.Builder spec) {
        return spec.optional(
                MAX_RECORD_BYTES,
                io.dataflare.api.config.ConfigType.LONG,
                (long) DEFAULT_MAX_ROW,
                "Longest row or line in bytes; a longer one is rejected (dead-lettered), not read into memory");
    }

    /** The row limit a source's configuration asks for. */
    public static int maxRecordBytes(io.dataflare.api.config.PluginConfig config) {
        long v = config.getLong(MAX_RECORD_BYTES, DEFAULT_MAX_ROW);
        if (v < 64 || v > Integer.MAX_VALUE - 64) {
            throw new io.dataflare.api.config.ConfigException(
                    MAX_RECORD_BYTES, "must be from 64 to " + (Integer.MAX_VALUE - 64) + ", got " + v);
        }
        return (int) v;
    }

    private static final int INITIAL_SIZE = 256 * 1024;
    /** How long {@link #more} waits on a {@link TrickleInput} before it reports that reading would block. */
    static final long TRICKLE_WAIT_MS = 50;

    private final InputStream in;
    private final int maxWindow;
    private byte[] buf;
    private int start;
    private int limit;
    private boolean eof;
    private boolean bomChecked;

    /**
     * @param in        the stream, read in large chunks (no extra buffering needed)
     * @param maxWindow the most bytes one row may span; callers treat a longer row as broken
     */
    public ByteInput(InputStream in, int maxWindow) {
        this.in = in;
        this.buf = new byte[Math.min(INITIAL_SIZE, maxWindow + 16)];
        this.maxWindow = maxWindow;
    }

    /** The bytes; valid between {@link #start()} and {@link #limit()} until the next {@link #more} call. */
    public byte[] buffer() {
        return buf;
    }

    /** Where the unconsumed bytes begin. */
    public int start() {
        return start;
    }

    /** Where the read bytes end. */
    public int limit() {
        return limit;
    }

    /** Whether the stream has no more bytes beyond {@link #limit()}. */
    public boolean eof() {
        return eof;
    }

    /** The most bytes one row may span. */
    public int maxWindow() {
        return maxWindow;
    }

    /** Whether the unconsumed bytes reached the window limit, so no row can be completed by reading more. */
    public boolean full() {
        return limit - start >= maxWindow;
    }

    /** Marks the bytes before {@code position} as consumed. */
    public void consume(int position) {
        start = position;
    }

    /**
     * Reads more bytes after the unconsumed ones, first moving those to the front of the buffer (so
     * offsets held by the caller shift by the old {@link #start()}).
     *
     * @param mayBlock whether to wait for input (on a {@link TrickleInput}, for {@value #TRICKLE_WAIT_MS} ms at
     *                 most); when false and the stream has nothing available, returns {@link #WOULD_BLOCK}
     *                 without reading
     * @return the number of bytes read, {@link #WOULD_BLOCK} or {@link #EOF}
     */
    public int more(boolean mayBlock) throws IOException {
        if (eof) return EOF;
        if (in instanceof TrickleInput t) {
            // input arriving over time: wait a while, not for ever, so that what was read already can go on
            if (!t.awaitReadable(mayBlock ? TRICKLE_WAIT_MS : 0)) return WOULD_BLOCK;
        } else if (!mayBlock && in.available() <= 0) {
            return WOULD_BLOCK;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxWindow + 16)
                throw new IllegalStateException("the row window is full; check full() first");
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxWindow + 16L));
        }
        int n = in.read(buf, limit, buf.length - limit);
        while (n == 0) n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return EOF;
        }
        limit += n;
        if (!bomChecked) skipBom();
        return n;
    }

    private void skipBom() throws IOException {
        // Wait for three bytes so that a BOM split across reads is still recognised.
        while (limit < 3 && !eof) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) eof = true;
            else limit += n;
        }
        bomChecked = true;
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            start = 3;
        }
    }
}
