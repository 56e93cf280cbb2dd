package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.RateLimit;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the hostile-input test found, and the limits: size (413), rate (429), nesting (400), HEAD requests. */
class RequestLimitsTest {
    static final String LIMITED_TOKEN = "limited-token-0123456789";
    static final String VIEWER_TOKEN = "viewer-token-0123456789";

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        AuthSettings auth = new AuthSettings(
                List.of(
                        new NamedToken(
                                "limited",
                                Auth.hash(LIMITED_TOKEN),
                                Role.VIEWER,
                                TaskPatterns.ALL,
                                new RateLimit(0.5, 3)),
                        new NamedToken("viewer", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                null,
                null,
                Map.of());
        s = new TestServer(
                new InProcessPlugins(),
                dir.resolve("state"),
                ServerConfig.defaults().maxRequestBytes(64 * 1024).auth(auth));
        s.create("t", ApiRoutesTest.PUSH_TO_MEMORY);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void headRequestsAreAuthorizedAsTheirGetRouteNotAnsweredWith500() {
        for (String path : List.of("/health", "/api/tasks", "/api/tasks/t", "/openapi.json", "/api/audit")) {
            TestServer.Response r = s.send(s.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(r.status()).as(path).isEqualTo(200);
        }
        TestServer.Response viewer = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/audit"))
                .header("Authorization", "Bearer " + VIEWER_TOKEN)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(viewer.status()).isEqualTo(403);
    }

    @Test
    void theEventStreamRefusesARequestBodyInsteadOfStreamingWhileTheClientWaitsToSendIt() {
        TestServer.Response r = s.send(s.request("/api/tasks/t/events")
                .timeout(java.time.Duration.ofSeconds(10))
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1000))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).isEqualTo("the event stream takes no request body");
    }

    @Test
    void deeplyNestedJsonIsRefusedWith400() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThat(s.post("/api/tasks/t/records", "application/json", deep).status())
                .isEqualTo(400);
        assertThat(s.post("/api/tasks/t/attach", "application/json", deepObject).status())
                .isEqualTo(400);
        TestServer.Response created = s.post("/api/tasks?id=deep", "application/json", deepObject);
        assertThat(created.status()).as(created.body()).isEqualTo(400);
        TestServer.Response yaml = s.post("/api/tasks?id=deep", "application/yaml", "- ".repeat(10_000) + "1");
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(400);
        TestServer.Response scaled = s.put("/api/tasks/t/stages/in/parallelism", "application/json", deepObject);
        assertThat(scaled.status()).as(scaled.body()).isBetween(400, 499);
    }

    @Test
    void aBodyBeyondTheLimitIsAnswered413NamingTheLimitWithOrWithoutALength() {
        byte[] big = ("[" + "{\"v\": 1},".repeat(10_000) + "{}]").getBytes(StandardCharsets.UTF_8);
        TestServer.Response sized = s.send(s.request("/api/tasks/t/records")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(sized.status()).isEqualTo(413);
        assertThat(sized.json().get("code").asText()).isEqualTo("too_large");
        assertThat(sized.json().get("message").asText()).contains("server.max_request_bytes: 65536");
        TestServer.Response chunked = s.send(s.request("/api/tasks/t/records")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("message").asText()).contains("server.max_request_bytes: 65536");
    }

    @Test
    void aTokenBeyondItsRateIsAnswered429WithRetryAfter() {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 10; i++) {
            TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks"))
                    .header("Authorization", "Bearer " + LIMITED_TOKEN)
                    .GET());
            if (r.status() == 429) {
                limited++;
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
                assertThat(r.json().get("code").asText()).isEqualTo("rate_limited");
            } else assertThat(r.status()).isEqualTo(200);
        }
        assertThat(limited).isGreaterThanOrEqualTo(6); // a burst of 3, then 0.5 a second
        assertThat(retryAfter).isNotNull();
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 2L);
        // the admin token has no limit configured
        for (int i = 0; i < 10; i++) assertThat(s.get("/api/tasks").status()).isEqualTo(200);
    }
}
