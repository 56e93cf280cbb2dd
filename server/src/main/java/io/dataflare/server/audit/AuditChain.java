package io.dataflare.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of the audit log: each line carries, in {@code prev}, the SHA-256 (hex) of the line before
 * it, as written (its UTF-8 bytes without the line break); the first line of the first file carries
 * {@link #GENESIS}. Changing, removing or inserting a line breaks the link of the line after it.
 */
public final class AuditChain {
    /** The {@code prev} of the very first line: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** The hash of a line (without its line break). */
    public static String hash(String line) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
