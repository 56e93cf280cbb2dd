package io.dataflare.cli;

import io.dataflare.engine.config.SecretMask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The CLI's text channels (its messages, the log on standard error) with every secret the process has
 * resolved masked. Text is held back until a line ends or the channel is flushed, so a secret written in
 * pieces is still found. Standard output written by the {@code stdout} sink is data and does not pass here.
 */
final class MaskedOutput {
    private MaskedOutput() {}

    /** {@code out} masking secrets, flushed as it was before. */
    static PrintWriter writer(PrintWriter out) {
        return new PrintWriter(new MaskingWriter(out), true);
    }

    /** {@code out} masking secrets (for {@link System#setErr}). */
    static PrintStream stream(PrintStream out) {
        return new PrintStream(new MaskingStream(out), true, StandardCharsets.UTF_8);
    }

    private static final class MaskingWriter extends Writer {
        private final Writer out;
        private final StringBuilder line = new StringBuilder();

        MaskingWriter(Writer out) {
            this.out = out;
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                line.append(cbuf[i]);
                if (cbuf[i] == '\n') emit();
            }
        }

        private void emit() throws IOException {
            out.write(SecretMask.mask(line.toString()));
            line.setLength(0);
        }

        @Override
        public synchronized void flush() throws IOException {
            emit();
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            flush();
            out.close();
        }
    }

    private static final class MaskingStream extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        MaskingStream(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') emit();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) write(b[i]);
        }

        private void emit() {
            if (line.size() == 0) return;
            out.print(SecretMask.mask(line.toString(StandardCharsets.UTF_8)));
            line.reset();
        }

        @Override
        public synchronized void flush() {
            emit();
            out.flush();
        }
    }
}
