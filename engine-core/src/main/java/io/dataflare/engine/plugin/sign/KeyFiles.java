package io.dataflare.engine.plugin.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys of plugin publishers as PEM files: the private key as PKCS#8 ({@code PRIVATE KEY}), the public
 * key as X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}), the formats {@code openssl genpkey -algorithm ed25519}
 * and {@code openssl pkey -pubout} use. A key's id is the SHA-256 of its public key's DER encoding, in hex.
 */
public final class KeyFiles {
    /** The signature algorithm (in the JDK since 15). */
    public static final String ALGORITHM = "Ed25519";

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private KeyFiles() {}

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    /**
     * Writes the private key to {@code file}, readable and writable by its owner only where the file system
     * has POSIX permissions (created so: it is never readable by others, not even for a moment).
     *
     * @throws FileAlreadyExistsException when the file exists: a key is never overwritten
     */
    public static void writePrivate(PrivateKey key, Path file) throws IOException {
        byte[] pem = pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            FileAttribute<?> ownerOnly =
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.write(Files.createFile(file, ownerOnly), pem, StandardOpenOption.WRITE);
        } else {
            Files.write(file, pem, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /**
     * Writes the public key to {@code file}.
     *
     * @throws FileAlreadyExistsException when the file exists
     */
    public static void writePublic(PublicKey key, Path file) throws IOException {
        Files.writeString(
                file, pem("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    }

    /**
     * Reads an Ed25519 private key (PEM, PKCS#8).
     *
     * @throws InvalidKeyFileException naming the file and what is wrong
     */
    public static PrivateKey readPrivate(Path file) throws IOException {
        byte[] der = der(file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyFileException(file + ": not an " + ALGORITHM + " private key (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads an Ed25519 public key (PEM, X.509 SubjectPublicKeyInfo).
     *
     * @throws InvalidKeyFileException naming the file and what is wrong
     */
    public static PublicKey readPublic(Path file) throws IOException {
        byte[] der = der(file, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyFileException(file + ": not an " + ALGORITHM + " public key (" + e.getMessage() + ")");
        }
    }

    /**
     * The public key of a private one. The JDK has no call for it, but its Ed25519 key pair generator takes the
     * private key (the 32-byte seed) from the random source it is given and computes the public key from it:
     * fed the seed, it yields the same key pair. A test signature proves the pair matches.
     */
    public static PublicKey publicOf(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty())
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key");
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            PublicKey pub = g.generateKeyPair().getPublic();
            byte[] probe = "dataflare key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            if (!s.verify(sig))
                throw new IllegalStateException("could not derive the public key of an " + ALGORITHM + " key");
            return pub;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not derive the public key: " + e.getMessage(), e);
        }
    }

    /** A "random" source that returns a fixed seed: see {@link #publicOf}. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length)
                throw new IllegalStateException(
                        "expected a request for " + seed.length + " bytes, got " + bytes.length);
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }

    /** The key id: the SHA-256 of the public key's DER encoding, in lower-case hex. */
    public static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] der(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) throw new InvalidKeyFileException(file + ": not a PEM file (-----BEGIN " + type + "-----)");
        if (!m.group(1).equals(type))
            throw new InvalidKeyFileException(file + ": holds a " + m.group(1) + ", expected a " + type);
        try {
            return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyFileException(file + ": bad base64 in the PEM block (" + e.getMessage() + ")");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Permissions of a private key file that others can read (a warning worth giving), or null. */
    public static String looseness(Path file) {
        try {
            Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(file);
            String s = PosixFilePermissions.toString(p);
            return s.substring(3).equals("------") ? null : s;
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }
}
