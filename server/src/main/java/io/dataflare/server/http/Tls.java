package io.dataflare.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's TLS identity: a PEM certificate chain and PKCS#8 key, or a PKCS#12 / JKS keystore. */
public final class Tls {
    private Tls() {}

    /**
     * From PEM files: {@code cert} (the certificate, then its chain) and {@code key} (an unencrypted PKCS#8
     * key, {@code -----BEGIN PRIVATE KEY-----}; RSA, EC or Ed25519).
     *
     * @throws IllegalArgumentException saying what is wrong with the files
     */
    public static SslContextFactory.Server pem(Path cert, Path key) {
        try {
            List<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(cert)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) throw new IllegalArgumentException(cert + " holds no certificate");
            PrivateKey privateKey = privateKey(Files.readString(key, StandardCharsets.US_ASCII), key);
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", privateKey, password.toCharArray(), chain.toArray(Certificate[]::new));
            SslContextFactory.Server f = new SslContextFactory.Server();
            f.setKeyStore(ks);
            f.setKeyStorePassword(password);
            f.setKeyManagerPassword(password);
            return f;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot use TLS certificate " + cert + " and key " + key + ": " + e.getMessage(), e);
        }
    }

    /** From a PKCS#12 or JKS keystore file. */
    public static SslContextFactory.Server keystore(Path file, String password) {
        if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read keystore " + file);
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStorePath(file.toAbsolutePath().toString());
        f.setKeyStorePassword(password);
        return f;
    }

    private static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
        if (pem.contains("BEGIN RSA PRIVATE KEY")
                || pem.contains("BEGIN EC PRIVATE KEY")
                || pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(file + " is not an unencrypted PKCS#8 key: convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem'");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin)
            throw new IllegalArgumentException(file + " holds no '-----BEGIN PRIVATE KEY-----' block");
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + ": the key is not RSA, EC or Ed25519");
    }
}
