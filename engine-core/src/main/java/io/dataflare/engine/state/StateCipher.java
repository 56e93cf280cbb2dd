package io.dataflare.engine.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for state at rest (JDK crypto). Each ciphertext carries the id of the key that made it and a
 * fresh 96-bit nonce; the place it belongs to (namespace and key, log, file name) is authenticated with it, so
 * a value moved to another key is refused like a modified one. Text form:
 * {@code dfenc1:<key id>:<base64 of nonce + ciphertext + tag>}; bytes: {@code DFENC1}, the key id's length and
 * bytes, nonce, ciphertext and tag.
 */
public final class StateCipher {
    static final String TEXT_PREFIX = "dfenc1:";
    private static final byte[] MAGIC = "DFENC1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKeys keys;

    public StateCipher(EncryptionKeys keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("no encryption key configured");
        this.keys = keys;
    }

    public EncryptionKeys keys() {
        return keys;
    }

    /** Whether {@code text} is a ciphertext (of any key). */
    public static boolean isEncrypted(String text) {
        return text.startsWith(TEXT_PREFIX);
    }

    /** Whether {@code bytes} are a ciphertext (of any key). */
    public static boolean isEncrypted(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The key id of a ciphertext. */
    static String keyIdOf(String text) {
        int end = text.indexOf(':', TEXT_PREFIX.length());
        return end < 0 ? "?" : text.substring(TEXT_PREFIX.length(), end);
    }

    /** Whether {@code text} was made with the newest key. */
    public boolean isCurrent(String text) {
        return isEncrypted(text) && keyIdOf(text).equals(keys.newestId());
    }

    /** Whether {@code bytes} were made with the newest key. */
    public boolean isCurrent(byte[] bytes) {
        return isEncrypted(bytes) && keyIdOf(bytes).equals(keys.newestId());
    }

    /** {@code plain} encrypted with the newest key, bound to {@code place}. */
    public String encrypt(String plain, String place) {
        String id = keys.newestId();
        byte[] sealed = seal(keys.newest(), plain.getBytes(StandardCharsets.UTF_8), place);
        return TEXT_PREFIX + id + ":" + Base64.getEncoder().encodeToString(sealed);
    }

    /**
     * The plain text of {@code text}, which must be a ciphertext made for {@code place}.
     *
     * @throws StateIntegrityException naming {@code where} and the key when it is in clear, made with a key none
     *                                 of the configured ones has, or modified
     */
    public String decrypt(String text, String place, String where) {
        if (!isEncrypted(text)) {
            throw new StateIntegrityException(where + " is stored in clear although an encryption key is set: run"
                    + " `dataflare state rekey` (with the server stopped) to encrypt the state");
        }
        String id = keyIdOf(text);
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(text.substring(TEXT_PREFIX.length() + id.length() + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw modified(where, id);
        }
        return new String(open(sealed, id, place, where), StandardCharsets.UTF_8);
    }

    /** {@code plain} encrypted with the newest key, bound to {@code place}. */
    public byte[] encrypt(byte[] plain, String place) {
        byte[] id = keys.newestId().getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = seal(keys.newest(), plain, place);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + id.length + sealed.length);
        return b.put(MAGIC).put((byte) id.length).put(id).put(sealed).array();
    }

    /**
     * The plain bytes of {@code bytes}, which must be a ciphertext made for {@code place}.
     *
     * @throws StateIntegrityException as {@link #decrypt(String, String, String)}
     */
    public byte[] decrypt(byte[] bytes, String place, String where) {
        if (!isEncrypted(bytes)) {
            throw new StateIntegrityException(where + " is stored in clear although an encryption key is set: run"
                    + " `dataflare state rekey` (with the server stopped) to encrypt the state");
        }
        String id = keyIdOf(bytes);
        int start = MAGIC.length + 1 + id.length();
        if (start > bytes.length) throw modified(where, id);
        return open(Arrays.copyOfRange(bytes, start, bytes.length), id, place, where);
    }

    private static String keyIdOf(byte[] bytes) {
        int n = bytes.length > MAGIC.length ? bytes[MAGIC.length] & 0xFF : 0;
        int from = MAGIC.length + 1;
        if (from + n > bytes.length) return "?";
        return new String(bytes, from, n, StandardCharsets.US_ASCII);
    }

    private static byte[] seal(SecretKey key, byte[] plain, String place) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE + c.getOutputSize(plain.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plain, 0, plain.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    private byte[] open(byte[] sealed, String id, String place, String where) {
        SecretKey key = keys.byId(id);
        if (key == null) {
            throw new StateIntegrityException(where + " is encrypted with key " + id + ", which none of the configured"
                    + " keys " + keys.ids() + " is: configure that key (" + EncryptionKeys.KEY_VARIABLE + " or "
                    + EncryptionKeys.KEY_FILE_VARIABLE + ")");
        }
        if (sealed.length < NONCE + TAG_BITS / 8) throw modified(where, id);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (AEADBadTagException e) {
            throw modified(where, id);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    private static StateIntegrityException modified(String where, String id) {
        return new StateIntegrityException(where + " (encrypted with key " + id + ") was modified or damaged: its"
                + " authentication tag does not match; it was not used");
    }
}
