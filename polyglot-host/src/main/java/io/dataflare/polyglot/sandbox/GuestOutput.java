package io.dataflare.polyglot.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A guest's stdout or stderr: split into lines, each handed to the engine log (the sandbox must not write
 * to the process's own streams). Long lines are cut and a script that prints without end is muted after
 * {@link #MAX_LINES} lines, so a hostile script cannot flood the log.
 */
public final class GuestOutput extends OutputStream {
    static final int MAX_LINE = 8 * 1024;
    static final long MAX_LINES = 100_000;

    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private long lines;

    private GuestOutput(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Lines to {@code sink}. */
    public static GuestOutput lines(Consumer<String> sink) {
        return new GuestOutput(sink);
    }

    /** Lines to {@code log} at info. */
    public static GuestOutput toLogger(Logger log) {
        return new GuestOutput(log::info);
    }

    /** Lines to a plugin's logger (which names the plugin, pipeline and stage) at {@code level}. */
    public static GuestOutput toLogger(System.Logger log, System.Logger.Level level) {
        return new GuestOutput(l -> log.log(level, l));
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

    @Override
    public synchronized void flush() {
        if (line.size() > 0) emit();
    }

    @Override
    public void close() {
        flush();
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
        lines++;
        if (lines < MAX_LINES) sink.accept(s);
        else if (lines == MAX_LINES) sink.accept("(more output muted: " + MAX_LINES + " lines printed)");
    }
}
