package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.testing.InProcessPlugins;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web console's files, committed bundled in the resources, are served at / without a token; the API still needs one. */
class ConsoleTest {
    private static TestServer.Response anonymous(TestServer s, String path) {
        return s.send(HttpRequest.newBuilder(URI.create(s.url() + path)).GET());
    }

    @Test
    void servesThePageAndItsBundleWithoutAToken(@TempDir Path dir) {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            TestServer.Response page = anonymous(s, "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("/console/console.js").contains("<main");

            TestServer.Response script = anonymous(s, "/console/console.js");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            // the bundle carries its libraries: nothing is fetched from a CDN
            assertThat(script.body()).contains("/api/whoami").doesNotContain("https://cdn");
            // the bundle is committed and must build byte-identical anywhere: no source map naming local paths
            assertThat(script.body()).doesNotContain("sourceMappingURL");
            assertThat(anonymous(s, "/console/console.css").status()).isEqualTo(200);

            assertThat(anonymous(s, "/console/secrets.txt").status()).isEqualTo(404);
            assertThat(anonymous(s, "/api/tasks").status()).isEqualTo(401);
        }
    }
}
