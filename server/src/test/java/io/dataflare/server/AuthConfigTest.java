package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.Role;
import io.dataflare.server.http.Auth;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's {@code auth:}: tokens from secrets or hashes, roles, patterns, JWT, rate limits; every mistake located. */
class AuthConfigTest {
    static final String CI_TOKEN = "ci-secret-token-0123456789";

    @TempDir
    Path dir;

    static Substitution secrets() {
        SecretResolver resolver = name -> name.equals("ci_token") ? Optional.of(CI_TOKEN) : Optional.empty();
        return new Substitution(Map.<String, String>of()::get, resolver, new Redactor());
    }

    @Test
    void tokensFromASecretOrAHashWorkOnARealServerAndTheValueIsNotKept() throws Exception {
        Path file = dir.resolve("server.yaml");
        Files.writeString(file, """
                auth:
                  tokens:
                    - { name: ci, token: "${secret:ci_token}", role: operator, tasks: [etl-*, "import-?"] }
                    - name: grafana
                      token_sha256: %s
                      role: viewer
                      rate_limit: { per_second: 5, burst: 10 }
                  rate_limits: { default: { per_second: 100 }, operator: { per_second: 20, burst: 40 } }
                """.formatted(Auth.hash("grafana-token-0123456789")));
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(file, secrets(), c);
        AuthSettings auth = c.auth();
        assertThat(auth.tokens()).hasSize(2);
        assertThat(auth.tokens().get(0).role()).isEqualTo(Role.OPERATOR);
        assertThat(auth.tokens().get(0).tasks().matches("etl-orders")).isTrue();
        assertThat(auth.tokens().get(0).tasks().matches("import-1")).isTrue();
        assertThat(auth.tokens().get(0).tasks().matches("billing")).isFalse();
        assertThat(auth.tokens().toString()).doesNotContain(CI_TOKEN);
        assertThat(auth.rateLimit(Role.OPERATOR, null).perSecond()).isEqualTo(20);
        assertThat(auth.rateLimit(Role.VIEWER, auth.tokens().get(1).rateLimit()).burst())
                .isEqualTo(10);
        assertThat(auth.rateLimit(Role.ADMIN, null).perSecond()).isEqualTo(100);

        try (TestServer s = new TestServer(new InProcessPlugins(), dir.resolve("state"), c)) {
            TestServer.Response who = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/whoami"))
                    .header("Authorization", "Bearer " + CI_TOKEN)
                    .GET());
            assertThat(who.json().get("name").asText()).isEqualTo("ci");
            TestServer.Response viewer = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/whoami"))
                    .header("Authorization", "Bearer grafana-token-0123456789")
                    .GET());
            assertThat(viewer.json().get("role").asText()).isEqualTo("viewer");
            s.close();
            for (Path p : Files.walk(dir.resolve("state"))
                    .filter(Files::isRegularFile)
                    .toList())
                assertThat(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("%s", p)
                        .doesNotContain(CI_TOKEN);
        }
    }

    @Test
    void everyMistakeIsLocatedAndNoTokenValueIsShown() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                auth:
                  tokens:
                    - { name: a, token: short, role: operator }
                    - { name: b, token: "long-enough-token-value-1", role: boss }
                    - { name: c, token_sha256: xyz, role: viewer, tasks: ["a/b"] }
                    - { name: d, role: viewer }
                    - { name: a, token: "long-enough-token-value-2", role: viewer, colour: red }
                  jwt: { issuer: x }
                  rate_limits: { admins: { per_second: 1 }, viewer: { burst: 3 } }
                """);
        assertThatThrownBy(() -> ServerConfigFile.read(file, secrets(), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bad.yaml:3:")
                .hasMessageContaining("'token' must be a string of 16+ characters")
                .hasMessageContaining("bad.yaml:4:")
                .hasMessageContaining("role 'boss' is not admin, operator or viewer")
                .hasMessageContaining("'token_sha256' must be 64 hex digits")
                .hasMessageContaining("'a/b' is not a task pattern")
                .hasMessageContaining("token 'd' needs either 'token' or 'token_sha256'")
                .hasMessageContaining("'colour' is not a key of a token")
                .hasMessageContaining("jwt needs either 'jwks' (a JWKS file) or 'public_key'")
                .hasMessageContaining("'admins' is not a key of rate_limits")
                .hasMessageContaining("rate_limits.viewer must be { per_second: N, burst: N }")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("long-enough-token-value"));
    }
}
