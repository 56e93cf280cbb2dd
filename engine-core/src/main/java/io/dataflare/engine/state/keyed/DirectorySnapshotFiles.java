package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.StateStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Snapshot files in a directory (names may contain {@code /} for subdirectories). A file is written to a
 * temporary name, forced and renamed, so a crash never leaves a partial file under its real name.
 */
public final class DirectorySnapshotFiles implements SnapshotFiles {
    private final Path dir;

    public DirectorySnapshotFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    private Path path(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir)) throw new IllegalArgumentException("snapshot file name escapes its directory: " + name);
        return p;
    }

    @Override
    public void write(String name, byte[] bytes) {
        Path p = path(name);
        try {
            Files.createDirectories(p.getParent());
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(bytes));
                    ch.force(true);
                }
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                // a write cut short (a cancelled run interrupts it) leaves no partial file behind
                Files.deleteIfExists(tmp);
            }
            forceDirectory(p.getParent());
        } catch (IOException e) {
            throw new StateStoreException("cannot write state snapshot " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the new name durable before the checkpoint naming it is saved; not every platform can open a
     * directory (then the OS decides).
     */
    private static void forceDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    @Override
    public void copyFrom(String name, Path from) {
        Path p = path(name);
        try {
            Files.createDirectories(p.getParent());
            try {
                // SST files never change once written: a hard link costs no bytes and survives their deletion
                Files.createLink(p, from);
                forceDirectory(p.getParent());
                return;
            } catch (FileAlreadyExistsException e) {
                Files.delete(p);
            } catch (IOException | UnsupportedOperationException e) {
                // another file system: copy below
            }
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(p.getParent());
        } catch (IOException e) {
            throw new StateStoreException("cannot write state snapshot " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new StateStoreException("cannot read state snapshot " + path(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void copyTo(String name, Path to) {
        try {
            Files.copy(path(name), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StateStoreException("cannot read state snapshot " + path(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String name) {
        try {
            return Files.size(path(name));
        } catch (IOException e) {
            throw new StateStoreException("cannot read state snapshot " + path(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw new StateStoreException("cannot delete state snapshot " + path(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> list() {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new StateStoreException("cannot list state snapshots in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }
}
