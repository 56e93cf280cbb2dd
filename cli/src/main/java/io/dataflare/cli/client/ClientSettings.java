package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the client finds the server and its token: {@code --server}, else {@code DATAFLARE_SERVER}, else the
 * client config file, else {@code http://127.0.0.1:8080}; the token from {@code DATAFLARE_TOKEN}, else the
 * client config file. The file is {@code DATAFLARE_CLIENT_CONFIG}, or {@code ~/.dataflare/client.yaml}:
 *
 * <pre>{@code
 * server: https://dataflare.example.org:8443
 * token: 3kq...                  # keep the file private (chmod 600)
 * ca_cert: /etc/dataflare/ca.pem # to trust a self-signed server certificate
 * }</pre>
 *
 * @param server the base URL
 * @param token  the bearer token, or null
 * @param caCert a PEM certificate to trust (HTTPS), or null
 */
public record ClientSettings(String server, String token, Path caCert) {
    /** The server when nothing says otherwise. */
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    /** The settings from {@code --server} (may be null), the environment and the client config file. */
    public static ClientSettings resolve(String serverOption) {
        return resolve(serverOption, System::getenv);
    }

    static ClientSettings resolve(String serverOption, Function<String, String> env) {
        JsonNode file = configFile(env);
        String server = first(serverOption, env.apply("DATAFLARE_SERVER"), text(file, "server"), DEFAULT_SERVER);
        String token = first(env.apply("DATAFLARE_TOKEN"), text(file, "token"));
        String ca = text(file, "ca_cert");
        while (server.endsWith("/")) server = server.substring(0, server.length() - 1);
        return new ClientSettings(server, token, ca == null ? null : Path.of(ca));
    }

    /** The client config file's path. */
    static Path configPath(Function<String, String> env) {
        String p = first(env.apply("DATAFLARE_CLIENT_CONFIG"), System.getProperty("dataflare.client.config"));
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".dataflare", "client.yaml");
    }

    private static JsonNode configFile(Function<String, String> env) {
        Path p = configPath(env);
        if (!Files.isRegularFile(p)) return null;
        try {
            return new YAMLMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the client config " + p + ": " + e.getMessage(), e);
        }
    }

    /** An SSL context trusting {@link #caCert()}, or null to use the JDK's trust store. */
    SSLContext sslContext() {
        if (caCert == null) return null;
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
                trust.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA certificate " + caCert + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String key) {
        return n == null || !n.path(key).isValueNode() ? null : n.path(key).asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.trim();
        }
        return null;
    }
}
