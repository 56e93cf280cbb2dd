package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Serialises the writers of one file store directory: a read-write lock shared by every {@link FileStateStore}
 * of this JVM on that directory (writers exclusive, readers never see half a transaction), and while writing an
 * OS lock on {@code <dir>/.txn/lock}, so that writers in other processes take turns too. The OS drops the lock
 * of a killed process.
 */
final class StoreMutex {
    private static final ConcurrentHashMap<Path, StoreMutex> BY_DIRECTORY = new ConcurrentHashMap<>();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Path lockFile;

    private StoreMutex(Path lockFile) {
        this.lockFile = lockFile;
    }

    static StoreMutex of(Path dir) {
        return BY_DIRECTORY.computeIfAbsent(
                dir, d -> new StoreMutex(d.resolve(".txn").resolve("lock")));
    }

    /** Work that reads or writes the store's files. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} while no writer of this JVM runs. */
    <T> T shared(Work<T> work) throws IOException {
        lock.readLock().lock();
        try {
            return work.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} as the only writer of this directory, in this process and in any other. */
    <T> T exclusive(Work<T> work) throws IOException {
        lock.writeLock().lock();
        try {
            if (lock.getWriteHoldCount() > 1) return work.run();
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock os = ch.lock();
                try {
                    return work.run();
                } finally {
                    os.release();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
