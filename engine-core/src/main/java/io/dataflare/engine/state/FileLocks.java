package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State locks as OS file locks ({@code fcntl} on Linux): the kernel drops them when the process dies, so a
 * lock file left by a killed run locks nothing. The file holds the holder's description for the message a
 * refused run prints. Lock files are never deleted: unlinking a file another process is about to lock
 * would let two processes each lock a different file of the same name.
 */
final class FileLocks {
    /** Locks held by this JVM, which the OS would not report as taken (it refuses them with an exception). */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private FileLocks() {}

    /**
     * Locks {@code file} for {@code name}.
     *
     * @throws StateLockedException when another run holds it
     */
    static StateLock acquire(Path file, String name, String owner, String store) {
        Path key = file.toAbsolutePath().normalize();
        String mine = HELD.putIfAbsent(key, owner);
        if (mine != null) throw new StateLockedException(name, mine + " (in this process)", store);
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(key);
                ch.close();
                HELD.remove(key);
                throw new StateLockedException(name, holder, store);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new Held(name, key, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            HELD.remove(key);
            throw new StateStoreException("cannot lock " + key + ": " + e.getMessage(), e);
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a run that has just started" : text;
        } catch (IOException e) {
            return "another process (" + file + ")";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was locked
        }
    }

    private static final class Held implements StateLock {
        private final String name;
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        Held(String name, Path file, FileChannel channel, FileLock lock) {
            this.name = name;
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            try {
                channel.truncate(0);
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases the lock anyway
            } finally {
                closeQuietly(channel);
                HELD.remove(file);
            }
        }
    }
}
