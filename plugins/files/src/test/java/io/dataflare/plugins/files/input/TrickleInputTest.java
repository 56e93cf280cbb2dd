package io.dataflare.plugins.files.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bytes arriving over time are handed over in order, and a reader may wait for them a while and give up. */
@Timeout(30)
class TrickleInputTest {
    @Test
    void passesEveryByteOnInOrderAndThenTheEnd() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        TrickleInput in = TrickleInput.of(new PipedInputStream(writer, 4096), "test");
        byte[] sent = new byte[300_000];
        new Random(3).nextBytes(sent);
        Thread.ofPlatform().start(() -> {
            try (writer) {
                Random sizes = new Random(5);
                for (int off = 0; off < sent.length; ) {
                    int n = Math.min(1 + sizes.nextInt(9000), sent.length - off);
                    writer.write(sent, off, n);
                    off += n;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[7000];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) got.write(buf, 0, n);
        assertThat(got.toByteArray()).isEqualTo(sent);
        assertThat(in.awaitReadable(0))
                .as("the end is readable: read gives -1 at once")
                .isTrue();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aWaitGivesUpWhenNothingComesAndSeesWhatComesLater() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        TrickleInput in = TrickleInput.of(new PipedInputStream(writer), "test");
        assertThat(in.awaitReadable(0)).isFalse();
        assertThat(in.awaitReadable(20)).isFalse();
        writer.write("ab".getBytes());
        writer.flush();
        while (!in.awaitReadable(20)) {
            // the reading thread hands the bytes over
        }
        assertThat(in.available()).isEqualTo(2);
        assertThat(in.read()).isEqualTo('a');
        assertThat(in.read()).isEqualTo('b');
        assertThat(in.awaitReadable(0)).isFalse();
        writer.close();
        while (!in.awaitReadable(20)) {
            // the end is on its way
        }
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void afterCloseWhatIsWrittenIsDroppedWithoutHoldingTheWriterBack() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        TrickleInput in = TrickleInput.of(new PipedInputStream(writer, 1024), "test");
        in.close();
        // far more than the pipe and the chunks waiting could hold: a writer blocked by a gone reader never ends
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < 64; i++) writer.write(block);
        writer.close();
    }

    @Test
    void aFailedReadIsReportedToTheReader() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("device gone");
            }
        };
        TrickleInput in = TrickleInput.of(broken, "test");
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("device gone");
    }
}
