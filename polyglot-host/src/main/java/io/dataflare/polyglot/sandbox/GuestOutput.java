package io.dataflare.polyglot.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A guest's stdout or stderr split into lines, each handed to a sink (the sandbox must not write to the
 * process's streams directly) when its newline arrives. Long lines are cut at {@link #MAX_LINE} bytes; the log sinks mute a script that
 * prints without end after {@link #MAX_LINES} lines ({@link GuestConsole} limits the rate instead).
 */
public final class GuestOutput extends OutputStream {
    static final int MAX_LINE = 8 * 1024;
    static final long MAX_LINES = 100_000;

    private final Consumer<String> sink;
    private final long maxLines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private long lines;

    private GuestOutput(Consumer<String> sink, long maxLines) {
        this.sink = sink;
        this.maxLines = maxLines;
    }

    /** Lines to {@code sink}, muted after {@link #MAX_LINES}. */
    public static GuestOutput lines(Consumer<String> sink) {
        return new GuestOutput(sink, MAX_LINES);
    }

    /** Every line to {@code sink}, which limits them itself. */
    static GuestOutput unmuted(Consumer<String> sink) {
        return new GuestOutput(sink, Long.MAX_VALUE);
    }

    /** Lines to {@code log} at info. */
    public static GuestOutput toLogger(Logger log) {
        return lines(log::info);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** Does nothing: a line goes out when it is complete (GraalPy flushes after every write, even mid-line). */
    @Override
    public void flush() {}

    /** Hands on the unfinished line, if any (a call ended, or was stopped mid-print). */
    public synchronized void endLine() {
        if (line.size() > 0) emit();
    }

    @Override
    public void close() {
        endLine();
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
        lines++;
        if (lines < maxLines) sink.accept(s);
        else if (lines == maxLines) sink.accept("(more output muted: " + maxLines + " lines printed)");
    }
}
