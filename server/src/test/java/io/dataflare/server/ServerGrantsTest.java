package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.PluginContext;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's per-plugin grants ({@code server.grants}): read from its config with bad entries located, they bound
 * what a task's stage may hold (a stage beyond them makes the task invalid, 400) and are what a stage that lists
 * none is granted.
 */
class ServerGrantsTest {
    @TempDir
    Path dir;

    /** What each {@code fetch} instance was granted, as a sandboxed host reads it. */
    private final List<Grants> seen = new CopyOnWriteArrayList<>();

    /** {@code fetch} of plugin http-get@1.0.0, which requests HTTP to any host. */
    private final class Fetch implements ProcessorFactory {
        @Override
        public String name() {
            return "fetch";
        }

        @Override
        public Processor create(PluginContext ctx) {
            seen.add(Grants.of(ctx));
            return b -> b;
        }
    }

    private TestServer server(InProcessPlugins plugins, ServerConfig config) {
        Engine engine =
                TestEngines.withPlugins(plugins, b -> b.meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        engine.plugins()
                .register(new LoadedPlugin(
                        PluginManifest.builder("http-get", "1.0.0", "java")
                                .kinds(List.of("processor"))
                                .capabilities(List.of("http:*"))
                                .build(),
                        null,
                        List.of(new Fetch()),
                        null));
        return new TestServer(plugins, engine, dir.resolve("state"), config);
    }

    @Test
    void theConfigFilesGrantsArePerPluginAndBadEntriesAreLocated() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                server:
                  grants:
                    http-get: [http:*.example.com, file:read:data/*.csv]
                """);
        ServerConfig c = ServerConfig.defaults();
        ServerConfigFile.read(good, Substitution.fromSystem(new Redactor()), c);
        assertThat(c.grantPolicy().operatorGrants("http-get").all())
                .containsExactlyInAnyOrder("log", "state", "http:*.example.com", "file:read:data/*.csv");
        assertThat(c.grantPolicy().operatorGrants("other").all()).containsExactlyInAnyOrder("log", "state");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                server:
                  grants:
                    http-get: [htp:api.example.com, 7]
                """);
        assertThatThrownBy(() ->
                        ServerConfigFile.read(bad, Substitution.fromSystem(new Redactor()), ServerConfig.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        bad + ":3:16: grants of plugin 'http-get': unknown capability" + " 'htp:api.example.com'")
                .hasMessageContaining(bad + ":3:37: grants of plugin 'http-get': each entry must be a capability,"
                        + " found a number");
    }

    @Test
    void aStageMayHoldOnlyWhatTheServerGrantsItsPluginAndOneListingNoneGetsIt() {
        InProcessPlugins plugins = new InProcessPlugins();
        ServerConfig config = ServerConfig.defaults().grant("http-get", List.of("http:*.example.com"));
        try (TestServer s = server(plugins, config)) {
            TestServer.Response beyond = s.post("/api/tasks?id=beyond", "application/yaml", """
                    sources: { in: { use: seq, with: { count: 2 } } }
                    processors: { fetch: { use: fetch, from: in, grants: [http:evil.org] } }
                    sinks: { out: { use: collect, from: fetch, with: { name: beyond } } }
                    """);
            assertThat(beyond.status()).isEqualTo(400);
            assertThat(beyond.json().get("code").asText()).isEqualTo("invalid_pipeline");
            assertThat(beyond.json().at("/problems/0/message").asText())
                    .isEqualTo("stage 'fetch': grant 'http:evil.org' is not granted to plugin http-get by the"
                            + " server (it grants [log, state, http:*.example.com]; its operator adds grants under"
                            + " server.grants.http-get)");
            assertThat(s.get("/api/tasks/beyond").status()).isEqualTo(404);

            s.create("inherits", """
                    sources: { in: { use: seq, with: { count: 2 } } }
                    processors: { fetch: { use: fetch, from: in } }
                    sinks: { out: { use: collect, from: fetch, with: { name: inherits } } }
                    """);
            s.post("/api/tasks/inherits/start");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> plugins.collected("inherits").size() == 2);
            assertThat(seen).isNotEmpty().allSatisfy(g -> {
                assertThat(g.allowsHttp("api.example.com")).isTrue();
                assertThat(g.allowsHttp("evil.org")).isFalse();
            });
        }
    }

    @Test
    void aServerGrantingAPluginNothingRefusesItsTasks() {
        try (TestServer s = server(new InProcessPlugins(), ServerConfig.defaults())) {
            TestServer.Response r = s.post("/api/tasks?id=ungranted", "application/yaml", """
                    sources: { in: { use: seq, with: { count: 2 } } }
                    processors: { fetch: { use: fetch, from: in } }
                    sinks: { out: { use: collect, from: fetch, with: { name: x } } }
                    """);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().at("/problems/0/message").asText())
                    .isEqualTo("stage 'fetch': plugin http-get@1.0.0 requests [http:*]; granted [log, state];"
                            + " missing [http:*]: the server must grant plugin http-get [http:HOST] under"
                            + " server.grants.http-get (a stage may narrow it with grants:)");
        }
    }
}
