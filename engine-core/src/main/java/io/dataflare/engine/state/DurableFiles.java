package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** The file operations the file store builds on, each durable when it returns. */
final class DurableFiles {
    private DurableFiles() {}

    /** Hook between writing a temporary file's bytes and nothing: the fault injection of crash tests. */
    @FunctionalInterface
    interface BeforeWrite {
        void accept(FileChannel ch, byte[] bytes) throws IOException;
    }

    /**
     * Replaces {@code target} with {@code bytes}: a temporary file beside it, forced, atomically renamed over
     * it, the directory forced. A crash leaves the old or the new content and at most a {@code .tmp-} file.
     */
    static void replace(Path target, byte[] bytes, BeforeWrite hook) throws IOException {
        Path parent = target.getParent();
        createDirectories(parent);
        Path tmp = parent.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                hook.accept(ch, bytes);
                writeFully(ch, bytes);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StateStoreException(
                        "the file system of " + parent + " cannot rename atomically; use another state directory");
            }
            forceDirectory(parent);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // readers ignore temporary files anyway
            }
            throw e;
        }
    }

    static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Deletes {@code file} durably; whether it was there. */
    static boolean delete(Path file) throws IOException {
        boolean existed = Files.deleteIfExists(file);
        if (existed) forceDirectory(file.getParent());
        return existed;
    }

    /** Creates {@code dir} and its missing parents, each new entry forced into its parent. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null) createDirectories(parent);
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            return;
        }
        if (parent != null) forceDirectory(parent);
    }

    static void forceDirectory(Path d) {
        // Makes renames and new entries durable; not every platform can open a directory (then the OS decides).
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
