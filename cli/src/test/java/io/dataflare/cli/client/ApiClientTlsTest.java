package io.dataflare.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.SelfSignedCertificate;
import io.dataflare.server.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API client over HTTPS: a server certificate is trusted through {@code ca_cert}, and only through it. */
class ApiClientTlsTest {
    @TempDir
    Path dir;

    @Test
    void aSelfSignedServerIsTrustedThroughTheConfiguredCertificateOnly() throws Exception {
        SelfSignedCertificate tls = SelfSignedCertificate.create(dir);
        try (TestServer s = new TestServer(new InProcessPlugins(), dir.resolve("state"), tls.serverConfig())) {
            assertThat(s.url()).startsWith("https://");
            try (ApiClient trusting = new ApiClient(new ClientSettings(s.url(), TestServer.TOKEN, tls.cert()))) {
                assertThat(trusting.get("/api/tasks").isMissingNode()).isFalse();
                // an error answer is read too, with the server's code
                assertThatThrownBy(() -> trusting.get("/api/tasks/" + ApiClient.segment("no such task")))
                        .isInstanceOfSatisfying(
                                ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            }
            try (ApiClient other = new ApiClient(new ClientSettings(s.url(), TestServer.TOKEN, null))) {
                assertThatThrownBy(() -> other.get("/api/tasks"))
                        .isInstanceOf(ApiException.class)
                        .hasMessageContaining("cannot reach the server at " + s.url());
            }
        }
    }
}
