package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1 and localhost, as PEM files made by openssl, for the tests of HTTPS. */
public record SelfSignedCertificate(Path cert, Path key) {
    /** Makes one in {@code dir}; the calling test is skipped on a machine without openssl. */
    public static SelfSignedCertificate create(Path dir) {
        assumeTrue(exec("openssl", "version"), "openssl makes the test certificate");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assertThat(exec(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString()))
                .as("openssl made the certificate")
                .isTrue();
        return new SelfSignedCertificate(cert, key);
    }

    /** The default server configuration serving HTTPS with it. */
    public ServerConfig serverConfig() {
        return ServerConfig.defaults().tls(cert, key);
    }

    private static boolean exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
