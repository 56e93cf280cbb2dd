package io.dataflare.server.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The SHA-256 of plugin files, computed once per version of a file (its size and modification time): every
 * heartbeat lists the plugins of its assignments, and reading a large JAR at each would cost the central server.
 */
final class PluginDigests {
    private record Known(long size, long modifiedMillis, String sha256) {}

    private final Map<Path, Known> known = new HashMap<>();

    synchronized String sha256(Path file) throws IOException {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Known k = known.get(file);
        if (k != null && k.size() == size && k.modifiedMillis() == modified) return k.sha256();
        String digest = of(file);
        known.put(file, new Known(size, modified, digest));
        return digest;
    }

    /** The hex SHA-256 of a file's bytes. */
    static String of(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
