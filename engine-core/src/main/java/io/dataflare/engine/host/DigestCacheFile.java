package io.dataflare.engine.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plugin-file digests remembered across processes, in the user's cache folder: every {@code dataflare} command
 * used to hash all plugin JARs (about 90 MB for the built-in ones), most of the time a short command took.
 *
 * <p>An entry is keyed by the file's full {@link FileIdentity} (inode and status-change time included), and only
 * a file whose status last changed well before it was read is remembered: a file still being written within the
 * timestamp granularity could otherwise keep its times and get a stale digest. A lost or unreadable cache only
 * costs hashing again; concurrent processes replace the file atomically, the last one wins.
 *
 * <p>It lives in the {@link CacheFolder}.
 */
final class DigestCacheFile {
    private static final String FILE_NAME = "plugin-digests";
    /** A file whose status changed this recently may still change within the same timestamp: not remembered. */
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final int MAX_ENTRIES = 4096;

    private final Path file;
    private Map<FileIdentity, String> entries;

    DigestCacheFile(Path file) {
        this.file = file;
    }

    /** The user's cache file (see {@link CacheFolder}), or null when turned off. */
    static DigestCacheFile standard() {
        Path dir = CacheFolder.standard();
        return dir == null ? null : new DigestCacheFile(dir.resolve(FILE_NAME));
    }

    synchronized String get(FileIdentity id) {
        if (!id.pinsContent()) return null;
        return entries().get(id);
    }

    /** Remembers the digest of a file read when its identity was {@code id}, if that identity pins the content. */
    synchronized void put(FileIdentity id, String sha256, long readStartedNanos) {
        if (!id.pinsContent() || readStartedNanos - id.ctimeNanos() < SETTLED_NANOS) return;
        if (id.path().toString().indexOf('\n') >= 0) return; // one line per entry
        Map<FileIdentity, String> known = entries();
        if (sha256.equals(known.get(id))) return;
        known.keySet().removeIf(other -> other.path().equals(id.path()));
        if (known.size() >= MAX_ENTRIES) known.clear();
        known.put(id, sha256);
        write(known);
    }

    private Map<FileIdentity, String> entries() {
        if (entries == null) entries = read();
        return entries;
    }

    private Map<FileIdentity, String> read() {
        Map<FileIdentity, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                // sha256 size mtime ctime inode device path (the path last: it may hold spaces)
                String[] f = line.split(" ", 7);
                if (f.length != 7 || !f[0].matches("[0-9a-f]{64}")) continue;
                try {
                    out.put(
                            new FileIdentity(
                                    Path.of(f[6]),
                                    Long.parseLong(f[1]),
                                    Long.parseLong(f[2]),
                                    Long.parseLong(f[3]),
                                    Long.parseLong(f[4]),
                                    Long.parseLong(f[5])),
                            f[0]);
                } catch (RuntimeException malformed) {
                    // a line torn or edited by hand: hashing that file again is all it costs
                }
            }
        } catch (NoSuchFileException none) {
            // first use
        } catch (IOException | RuntimeException unreadable) {
            // unreadable cache: start over, it is rewritten on the next new digest
        }
        return out;
    }

    private void write(Map<FileIdentity, String> known) {
        StringBuilder text = new StringBuilder();
        known.forEach((id, sha) -> text.append(sha)
                .append(' ')
                .append(id.size())
                .append(' ')
                .append(id.mtimeNanos())
                .append(' ')
                .append(id.ctimeNanos())
                .append(' ')
                .append(id.inode())
                .append(' ')
                .append(id.device())
                .append(' ')
                .append(id.path())
                .append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException unwritable) {
            // a read-only home or a full disk: the next process hashes again, nothing else depends on it
        }
    }
}
