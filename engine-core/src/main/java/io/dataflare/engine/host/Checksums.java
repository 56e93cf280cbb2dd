package io.dataflare.engine.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 checksums of plugin files. */
public final class Checksums {
    /**
     * Digests already computed in this process, by file identity. Loading a plugin JAR digests it twice (its
     * {@code .sha256} sidecar check, then its manifest's checksum), and the built-in plugins are about 90 MB: hashing
     * each once saves a short command a few hundred milliseconds. A file rewritten in place or replaced gets a new
     * identity (size, times, inode), so it is digested again.
     */
    private static final Map<FileIdentity, String> DIGESTS = new ConcurrentHashMap<>();
    /** Plugin folders hold tens of files; a long-running server that sees many versions starts over past this. */
    private static final int MAX_REMEMBERED = 4096;
    /** Digests of earlier processes (null: turned off); see {@link DigestCacheFile}. */
    private static final DigestCacheFile REMEMBERED = DigestCacheFile.standard();

    private Checksums() {}

    /** The SHA-256 of the file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        return sha256(file, REMEMBERED);
    }

    static String sha256(Path file, DigestCacheFile remembered) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Instant now = Instant.now();
        long readStarted = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        FileIdentity id = FileIdentity.of(abs);
        String known = DIGESTS.get(id);
        if (known != null) return known;
        if (remembered != null && (known = remembered.get(id)) != null) return remember(id, known);
        String digest = digest(abs);
        if (remembered != null) remembered.put(id, digest, readStarted);
        return remember(id, digest);
    }

    private static String remember(FileIdentity id, String digest) {
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
