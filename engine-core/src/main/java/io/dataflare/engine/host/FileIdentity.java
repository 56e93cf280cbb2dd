package io.dataflare.engine.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What tells one version of a file from another without reading it: path, size, modification time and, where
 * the platform has them, the inode and the status-change time. A program can set a file's modification time
 * back, but not its status-change time (any write, rename or {@code touch} moves it to "now"), so a file with an
 * unchanged {@code ctime} and inode holds the same bytes.
 *
 * @param ctimeNanos the status-change time, or -1 where the platform does not report it
 * @param inode the inode number, or -1 where the platform does not report it
 */
record FileIdentity(Path path, long size, long mtimeNanos, long ctimeNanos, long inode, long device) {

    static FileIdentity of(Path abs) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(abs, "unix:size,lastModifiedTime,ctime,ino,dev");
            return new FileIdentity(
                    abs,
                    (Long) a.get("size"),
                    nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")),
                    (Long) a.get("ino"),
                    (Long) a.get("dev"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            BasicFileAttributes b = Files.readAttributes(abs, BasicFileAttributes.class);
            Object key = b.fileKey();
            return new FileIdentity(
                    abs, b.size(), nanos(b.lastModifiedTime()), -1, key == null ? -1 : key.hashCode(), -1);
        }
    }

    /** Whether this identity pins the file's content (see the class comment): only then may a digest outlive the process. */
    boolean pinsContent() {
        return ctimeNanos >= 0 && inode >= 0;
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
