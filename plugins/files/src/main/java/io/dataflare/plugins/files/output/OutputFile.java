package io.dataflare.plugins.files.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One open output file: an encoder over a file channel, so that {@link #sync()} can make it durable. */
final class OutputFile implements Closeable {
    private final FileChannel channel;
    private final WriteBehindSync stream;
    private final RecordEncoder encoder;
    private final String target;

    private OutputFile(FileChannel channel, WriteBehindSync stream, RecordEncoder encoder, String target) {
        this.channel = channel;
        this.stream = stream;
        this.encoder = encoder;
        this.target = target;
    }

    /** Opens {@code path}, creating its parent directories; {@code truncate} empties it, else it is appended to. */
    static OutputFile open(Path path, String target, boolean truncate, SinkFormat format) throws IOException {
        Path parent = path.getParent();
        if (parent != null) Files.createDirectories(parent);
        FileChannel ch = truncate
                ? FileChannel.open(
                        path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(
                        path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            var stream = new WriteBehindSync(ch, Channels.newOutputStream(ch), WriteBehindSync.DEFAULT_EVERY);
            return new OutputFile(ch, stream, format.open(stream, target, ch.size() == 0), target);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Cuts {@code path} back to {@code length} bytes (what a checkpoint recorded), so that a resumed run
     * rewrites what came after it.
     *
     * @throws IOException if the file is shorter than that: it was changed behind the pipeline's back
     */
    static void truncate(Path path, long length) throws IOException {
        if (!Files.exists(path)) {
            if (length == 0) return;
            throw new IOException(
                    path + " is missing but held " + length + " bytes at the checkpoint: cannot resume it exactly");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            if (ch.size() < length) {
                throw new IOException(path + " has " + ch.size() + " bytes but held " + length
                        + " at the checkpoint: cannot resume it exactly");
            }
            ch.truncate(length);
            ch.force(true);
        }
    }

    /** The file's length, everything written so far included (after {@link #sync()}). */
    long length() throws IOException {
        return channel.size();
    }

    /** The expanded path template this file was opened for. */
    String target() {
        return target;
    }

    RecordEncoder encoder() {
        return encoder;
    }

    /** Writes out what is buffered and forces it to the storage device. */
    void sync() throws IOException {
        encoder.flush();
        stream.awaitBackground();
        channel.force(false);
    }

    /** Syncs, then closes. */
    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            encoder.close();
        }
    }
}
