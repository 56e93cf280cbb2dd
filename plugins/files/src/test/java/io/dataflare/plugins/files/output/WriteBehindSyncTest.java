package io.dataflare.plugins.files.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Background forces start every so many bytes, one at a time, and their failure is never lost. */
class WriteBehindSyncTest {

    @Test
    void startsAForceInTheBackgroundEverySoManyBytesAndWaitsForItOnRequest() throws Exception {
        ForcedChannel ch = new ForcedChannel();
        var bytes = new ByteArrayOutputStream();
        var s = new WriteBehindSync(ch, bytes, 100);

        s.write(new byte[99], 0, 99);
        assertThat(ch.forces).hasValue(0); // none started: nothing to wait for

        s.write(new byte[1], 0, 1);
        s.awaitBackground();
        assertThat(ch.forces).hasValue(1);
        assertThat(bytes.size()).isEqualTo(100);
    }

    @Test
    void oneForceRunsAtATimeAndTheNextCoversWhatWasWrittenMeanwhile() throws Exception {
        ForcedChannel ch = new ForcedChannel();
        ch.hold = new CountDownLatch(1);
        var s = new WriteBehindSync(ch, new ByteArrayOutputStream(), 10);

        s.write(new byte[10], 0, 10);
        assertThat(ch.started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) s.write(new byte[10], 0, 10); // the first force is still running
        ch.hold.countDown();
        s.awaitBackground();
        assertThat(ch.forces).hasValue(1);

        s.write(new byte[9], 0, 9); // counting restarted after the wait (the caller's own force covers the rest)
        assertThat(ch.forces).hasValue(1);
        s.write(new byte[1], 0, 1);
        s.awaitBackground();
        assertThat(ch.forces).hasValue(2);
    }

    @Test
    void aFailedBackgroundForceFailsTheNextWaitAndTheWritesAfterIt() throws Exception {
        ForcedChannel ch = new ForcedChannel();
        ch.failure = new IOException("device gone");
        var s = new WriteBehindSync(ch, new ByteArrayOutputStream(), 10);

        s.write(new byte[10], 0, 10);
        assertThatThrownBy(s::awaitBackground).isInstanceOf(IOException.class).hasMessage("device gone");
        assertThatThrownBy(() -> s.write(new byte[10], 0, 10)).hasMessage("device gone");
        s.close(); // a close after the failure does not hang or throw it again
    }

    /** Counts (and can hold or fail) forces; the stream under test writes elsewhere. */
    private static final class ForcedChannel extends FileChannel {
        final AtomicInteger forces = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch hold;
        volatile IOException failure;

        @Override
        public void force(boolean metaData) throws IOException {
            started.countDown();
            try {
                if (hold != null && !hold.await(10, TimeUnit.SECONDS)) throw new IOException("held too long");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failure != null) throw failure;
            forces.incrementAndGet();
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public FileChannel position(long newPosition) {
            return this;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public FileChannel truncate(long size) {
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {}
    }
}
