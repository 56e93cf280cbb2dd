package io.dataflare.polyglot.sandbox;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A context's stdout or stderr whose destination can change: a context is built with its streams, and one kept
 * for a stage's next run must print to that run's console, not to the closed console of the run that built it.
 */
public final class SwitchableOutput extends OutputStream {
    private volatile OutputStream target;

    public SwitchableOutput(OutputStream target) {
        this.target = target;
    }

    /** Sends what is written from now on to {@code to}. */
    public void switchTo(OutputStream to) {
        this.target = to;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }
}
