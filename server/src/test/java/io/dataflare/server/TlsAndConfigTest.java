package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.testing.InProcessPlugins;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a PEM certificate and key, and the server's config file (declared tasks, located problems, watch_plugins). */
class TlsAndConfigTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        SelfSignedCertificate tls = SelfSignedCertificate.create(dir);
        try (TestServer s = new TestServer(new InProcessPlugins(), dir.resolve("state"), tls.serverConfig())) {
            assertThat(s.url()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(tls.cert())) {
                trust.setCertificateEntry(
                        "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            try (HttpClient https = HttpClient.newBuilder().sslContext(ssl).build()) {
                HttpResponse<String> r = https.send(
                        HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks"))
                                .header("Authorization", "Bearer " + TestServer.TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void theConfigFileDeclaresTasksAndEnabledOnesStart() throws Exception {
        Files.writeString(dir.resolve("feed.yaml"), """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                """);
        Path config = Files.writeString(dir.resolve("tasks.yaml"), """
                server:
                  max_request_bytes: 100000
                tasks:
                  inline:
                    enabled: true
                    pipeline:
                      sources: { in: { use: push } }
                      sinks: { out: { use: collect, from: in, with: { name: "${secret:db_password}" } } }
                  from-file:
                    file: feed.yaml
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(
                config,
                new Substitution(
                        java.util.Map.<String, String>of()::get,
                        name -> java.util.Optional.of(TestServer.SECRET),
                        new Redactor()),
                c);
        assertThat(c.tasks()).extracting(ServerConfig.TaskEntry::id).containsExactly("inline", "from-file");
        try (TestServer s = new TestServer(new InProcessPlugins(), dir.resolve("state"), c)) {
            assertThat(s.state("inline")).isEqualTo("RUNNING");
            assertThat(s.state("from-file")).isEqualTo("READY");
            assertThat(s.get("/api/tasks/inline")
                            .json()
                            .at("/pipeline/sinks/out/with/name")
                            .asText())
                    .isEqualTo("${secret:db_password}");
            assertThat(s.get("/api/tasks/from-file").json().get("origin").asText())
                    .endsWith("feed.yaml");
            s.post("/api/tasks/inline/stop");
        }
    }

    @Test
    void configProblemsAreLocated() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                server:
                  prot: 8080
                tasks:
                  one:
                    enabled: yes-please
                    pipeline:
                      sources: { in: { use: push } }
                      sinks: { out: { use: memory, from: nowhere } }
                  two:
                    file: missing.yaml
                """);
        ServerConfig c = ServerConfig.defaults();
        assertThatThrownBy(() -> ServerConfigFile.read(config, Substitution.fromSystem(new Redactor()), c))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(config + ":2:3:")
                .hasMessageContaining(config + ":5:")
                .hasMessageContaining(config + ":10:");
    }

    @Test
    void watchPluginsIsOnUnlessTheConfigFileTurnsItOff() throws Exception {
        assertThat(ServerConfig.defaults().watchPlugins()).isTrue();
        Path off = Files.writeString(dir.resolve("off.yaml"), "server:\n  watch_plugins: false\n");
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(off, Substitution.fromSystem(new Redactor()), c);
        assertThat(c.watchPlugins()).isFalse();

        Path bad = Files.writeString(dir.resolve("bad-watch.yaml"), "server:\n  watch_plugins: sometimes\n");
        assertThatThrownBy(() ->
                        ServerConfigFile.read(bad, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad + ":2:18: 'watch_plugins' must be true or false");
    }

    @Test
    void workflowHistoryRetentionIsKeptForEverUnlessTheConfigFileGivesDays() throws Exception {
        assertThat(ServerConfig.defaults().workflowHistoryRetentionDays).isNull();
        Path f = Files.writeString(dir.resolve("retention.yaml"), "server:\n  workflow_history_retention_days: 90\n");
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(f, Substitution.fromSystem(new Redactor()), c);
        assertThat(c.workflowHistoryRetentionDays).isEqualTo(90);

        Path bad =
                Files.writeString(dir.resolve("bad-retention.yaml"), "server:\n  workflow_history_retention_days: 0\n");
        assertThatThrownBy(() ->
                        ServerConfigFile.read(bad, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        bad + ":2:36: 'workflow_history_retention_days' must be a whole number from 1" + " to 36500");
    }

    @Test
    void pluginsMayBeAMapRequiringSignedPlugins() throws Exception {
        Path f = Files.writeString(dir.resolve("signed.yaml"), """
                server:
                  plugins: { folders: [more], require_signed: true, trusted_keys: keys }
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(f, Substitution.fromSystem(new Redactor()), c);
        assertThat(c.requireSignedPlugins()).isTrue();
        assertThat(c.pluginDirs()).containsExactly(dir.toAbsolutePath().resolve("more"));
        assertThat(c.trustedKeyDirs()).containsExactly(dir.toAbsolutePath().resolve("keys"));
        try (Engine engine = TaskServer.engineBuilder(c, List.of()).build()) {
            assertThat(engine.plugins().trust().requireSigned()).isTrue();
        }

        Path bad = Files.writeString(dir.resolve("bad-signed.yaml"), """
                server:
                  plugins: { require_signed: maybe, keys: x }
                """);
        assertThatThrownBy(() ->
                        ServerConfigFile.read(bad, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad + ":2:30: 'require_signed' must be true or false")
                .hasMessageContaining("'keys' is not a key of plugins (keys: folders, require_signed, trusted_keys)");
    }

    @Test
    void pluginsMayBeGivenAtTheTopOfTheFileToo() throws Exception {
        Path f = Files.writeString(dir.resolve("top-plugins.yaml"), """
                server:
                  plugins: [more]
                plugins: { folders: [extra], require_signed: true, trusted_keys: keys }
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(f, Substitution.fromSystem(new Redactor()), c);
        assertThat(c.requireSignedPlugins()).isTrue();
        assertThat(c.pluginDirs())
                .containsExactly(
                        dir.toAbsolutePath().resolve("more"),
                        dir.toAbsolutePath().resolve("extra"));
        assertThat(c.trustedKeyDirs()).containsExactly(dir.toAbsolutePath().resolve("keys"));

        Path bad = Files.writeString(dir.resolve("bad-top-plugins.yaml"), "plugins: { require_signed: maybe }\n");
        assertThatThrownBy(() ->
                        ServerConfigFile.read(bad, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad + ":1:28: 'require_signed' must be true or false");
    }
}
