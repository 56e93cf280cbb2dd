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
    private final RecordEncoder encoder;

    private OutputFile(FileChannel channel, RecordEncoder encoder) {
        this.channel = channel;
        this.encoder = encoder;
    }

    /** Opens {@code path}, creating its parent directories; {@code truncate} empties it, else it is appended to. */
    static OutputFile open(Path path, String target, boolean truncate, SinkFormat format) throws IOException {
        Path parent = path.getParent();
        if (parent != null) Files.createDirectories(parent);
        FileChannel ch = truncate
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            return new OutputFile(ch, format.open(Channels.newOutputStream(ch), target, ch.size() == 0));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    RecordEncoder encoder() {
        return encoder;
    }

    /** Writes out what is buffered and forces it to the storage device. */
    void sync() throws IOException {
        encoder.flush();
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
