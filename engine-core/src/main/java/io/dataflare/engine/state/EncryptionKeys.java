package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys state is encrypted with at rest: AES-256 keys, oldest first. The newest encrypts; every one of them
 * decrypts, so that a key can be rotated in (add it last) and the old one dropped once {@code dataflare state
 * rekey} moved everything to the new one. A key's id (stored with each ciphertext) is derived from the key, so
 * no name needs to be configured and no two keys share an id.
 */
public final class EncryptionKeys {
    /** The variable holding base64 keys (several separated by commas, oldest first). */
    public static final String KEY_VARIABLE = "DATAFLARE_ENCRYPTION_KEY";

    /** The variable naming a file of base64 keys, one a line, oldest first ({@code #} starts a comment). */
    public static final String KEY_FILE_VARIABLE = "DATAFLARE_ENCRYPTION_KEY_FILE";

    private static final int KEY_BYTES = 32;
    private static final EncryptionKeys NONE = new EncryptionKeys(new LinkedHashMap<>());

    private final LinkedHashMap<String, SecretKey> byId;

    private EncryptionKeys(LinkedHashMap<String, SecretKey> byId) {
        this.byId = byId;
    }

    /** No keys: state is kept in clear. */
    public static EncryptionKeys none() {
        return NONE;
    }

    /**
     * The keys of {@value #KEY_FILE_VARIABLE}'s file, then those of {@value #KEY_VARIABLE} (the newest last);
     * {@link #none()} when neither is set.
     *
     * @throws IllegalArgumentException naming the variable, file and line of a key that is not base64 of 32 bytes
     */
    public static EncryptionKeys fromEnvironment(Function<String, String> env) {
        List<String> encoded = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        String file = env.apply(KEY_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.strip());
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        KEY_FILE_VARIABLE + ": cannot read the key file " + path + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                encoded.add(line);
                origins.add(KEY_FILE_VARIABLE + " " + path + " line " + (i + 1));
            }
        }
        String inline = env.apply(KEY_VARIABLE);
        if (inline != null && !inline.isBlank()) {
            String[] parts = inline.split(",");
            for (int i = 0; i < parts.length; i++) {
                encoded.add(parts[i].strip());
                origins.add(KEY_VARIABLE + " key " + (i + 1));
            }
        }
        return of(encoded, origins);
    }

    /** Keys from their base64 forms, oldest first ({@code origins} name each for messages). */
    static EncryptionKeys of(List<String> encoded, List<String> origins) {
        if (encoded.isEmpty()) return NONE;
        LinkedHashMap<String, SecretKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < encoded.size(); i++) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origins.get(i) + ": not base64: " + e.getMessage(), e);
            }
            if (raw.length != KEY_BYTES) {
                throw new IllegalArgumentException(origins.get(i) + ": an AES-256 key is 32 bytes (base64 of 32 bytes,"
                        + " e.g. from `openssl rand -base64 32`), this one has " + raw.length);
            }
            keys.remove(idOf(raw)); // listed twice: it counts where it was listed last
            keys.put(idOf(raw), new SecretKeySpec(raw, "AES"));
        }
        return new EncryptionKeys(keys);
    }

    /** Keys from their base64 forms, oldest first (tests, tools). */
    public static EncryptionKeys of(String... encoded) {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < encoded.length; i++) origins.add("key " + (i + 1));
        return of(List.of(encoded), origins);
    }

    /** A new random key, base64 (for {@code dataflare state keygen}-like uses and tests). */
    public static String generate() {
        byte[] raw = new byte[KEY_BYTES];
        new java.security.SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** Whether there are no keys (state is then kept in clear). */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The id of the key that encrypts. */
    public String newestId() {
        String last = null;
        for (String id : byId.keySet()) last = id;
        if (last == null) throw new IllegalStateException("no encryption key configured");
        return last;
    }

    SecretKey newest() {
        return byId.get(newestId());
    }

    /** The key of {@code id}, or null when none of the configured keys has it. */
    SecretKey byId(String id) {
        return byId.get(id);
    }

    /** The ids, oldest first. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** The first 8 bytes of SHA-256 over a label and the key, hex: names the key without revealing it. */
    static String idOf(byte[] raw) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("dataflare-state-key".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(raw), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptionKeys" + byId.keySet();
    }
}
