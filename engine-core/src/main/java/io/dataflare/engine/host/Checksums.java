package io.dataflare.engine.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 checksums of plugin files. */
public final class Checksums {
    /**
     * Digests already computed in this process, by file identity. Loading a plugin JAR digests it twice (its
     * {@code .sha256} sidecar check, then its manifest's checksum), and the built-in plugins are about 90 MB: hashing
     * each once saves a short command a few hundred milliseconds. A file rewritten in place or replaced gets a new
     * size, modification time or file key (inode), so it is digested again.
     */
    private static final Map<FileIdentity, String> DIGESTS = new ConcurrentHashMap<>();
    /** Plugin folders hold tens of files; a long-running server that sees many versions starts over past this. */
    private static final int MAX_REMEMBERED = 4096;

    private record FileIdentity(Path path, long size, FileTime modified, Object fileKey) {}

    private Checksums() {}

    /** The SHA-256 of the file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        FileIdentity id = new FileIdentity(abs, a.size(), a.lastModifiedTime(), a.fileKey());
        String known = DIGESTS.get(id);
        if (known != null) return known;
        String digest = digest(abs);
        if (DIGESTS.size() >= MAX_REMEMBERED) DIGESTS.clear();
        DIGESTS.put(id, digest);
        return digest;
    }

    private static String digest(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
