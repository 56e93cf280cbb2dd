package io.dataflare.plugins.files.output;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The stream an output file's encoder writes into: every {@link #DEFAULT_EVERY} bytes it starts forcing what the
 * file holds so far to the device on a background thread, so that a sync at a commit point (a checkpoint, the end
 * of a run) waits only for the bytes written since, instead of for the whole file (about a third of a 100 MB
 * file's run on a virtual disk). The same idea as RocksDB's {@code bytes_per_sync}; Java has no
 * {@code sync_file_range}, so the background force is a whole {@code fdatasync}, which writes only what is still
 * dirty. Nothing is promised durable before {@link #awaitBackground()} and the caller's own force: a background
 * force that fails is reported there, since a later force may not see the failure again.
 */
final class WriteBehindSync extends OutputStream {
    static final long DEFAULT_EVERY = 8L << 20;
    private static final Executor SYNCS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("df-file-sync-", 0).factory());

    private final FileChannel channel;
    private final OutputStream out;
    private final long every;
    private long unsynced;
    private CompletableFuture<Void> background = CompletableFuture.completedFuture(null);

    WriteBehindSync(FileChannel channel, OutputStream out, long every) {
        this.channel = channel;
        this.out = out;
        this.every = every;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        written(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written(len);
    }

    private void written(int n) throws IOException {
        unsynced += n;
        // one force at a time per file: the next starts after the bytes written while this one ran
        if (unsynced < every || !background.isDone()) return;
        failure(background);
        unsynced = 0;
        background = CompletableFuture.runAsync(this::forceData, SYNCS);
    }

    private void forceData() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the background force in flight, if any; throws its failure, or that of the one before. */
    void awaitBackground() throws IOException {
        try {
            background.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a file to reach the device");
        } catch (ExecutionException e) {
            failure(background);
        }
        unsynced = 0;
    }

    private static void failure(CompletableFuture<Void> done) throws IOException {
        if (!done.isCompletedExceptionally()) return;
        Throwable t = done.exceptionNow();
        if (t instanceof UncheckedIOException u)
            throw new IOException(u.getCause().getMessage(), u.getCause());
        throw new IOException("forcing a file to the device failed: " + t, t);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            background.join();
        } catch (RuntimeException ignored) {
            // reported by awaitBackground() at the sync before a clean close; a failed close has its own error
        }
        out.close();
    }
}
