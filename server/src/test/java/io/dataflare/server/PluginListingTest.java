package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.sign.KeyFiles;
import io.dataflare.engine.plugin.sign.PluginSignature;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/plugins}: each component's signature status, checked against the server's trust store though
 * signatures are not required here (so every file loads), and the capabilities its manifest requests.
 */
class PluginListingTest {
    @TempDir
    Path dir;

    @Test
    void showsEachFilesSignatureAndEachPluginsCapabilities() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        KeyPair acme = KeyFiles.generate();
        KeyFiles.writePublic(acme.getPublic(), trusted.resolve("acme.pub"));
        KeyPair stranger = KeyFiles.generate(); // its public key is not in the trust store
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp-1.0.0.jar"), "1.0.0"), acme.getPrivate());
        Fixtures.stamp(plugins.resolve("stamp-2.0.0.jar"), "2.0.0");
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp-3.0.0.jar"), "3.0.0"), stranger.getPrivate());
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp-4.0.0.jar"), "4.0.0"), acme.getPrivate());
        Fixtures.stamp(plugins.resolve("stamp-4.0.0.jar"), "4.0.0", "patched"); // changed after it was signed

        InProcessPlugins inProcess = new InProcessPlugins();
        Engine engine = TestEngines.withFolder(
                plugins,
                inProcess,
                false,
                b -> b.meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                        .registry(r -> r.trust(new PluginTrust(false, List.of(trusted)))));
        engine.plugins().register(RequestingPlugin.fetcher());
        try (TestServer s = new TestServer(inProcess, engine, dir.resolve("state"), ServerConfig.defaults())) {
            JsonNode listed = s.get("/api/plugins").json().get("plugins");
            Map<String, JsonNode> stamps = new HashMap<>();
            for (JsonNode c : listed)
                if ("stamp".equals(c.path("name").asText()))
                    stamps.put(c.get("version").asText(), c);
            assertThat(stamps).containsOnlyKeys("1.0.0", "2.0.0", "3.0.0", "4.0.0");
            assertThat(stamps.get("1.0.0").at("/signature/status").asText()).isEqualTo("signed");
            assertThat(stamps.get("1.0.0").at("/signature/signer").asText()).isEqualTo("acme");
            assertThat(stamps.get("2.0.0").at("/signature/status").asText()).isEqualTo("unsigned");
            assertThat(stamps.get("3.0.0").at("/signature/status").asText()).isEqualTo("untrusted");
            assertThat(stamps.get("4.0.0").at("/signature/status").asText()).isEqualTo("invalid");
            assertThat(stamps.get("4.0.0").at("/signature/detail").asText()).startsWith("bad signature");
            assertThat(stamps.values())
                    .allSatisfy(c -> assertThat(c.at("/signature/built_in").asBoolean(true))
                            .isFalse());

            JsonNode fetch = component(listed, "fetch");
            List<String> capabilities = new ArrayList<>();
            fetch.get("capabilities").forEach(c -> capabilities.add(c.asText()));
            assertThat(capabilities).isEqualTo(RequestingPlugin.CAPABILITIES);
            // registered in process: part of the server, no file to sign
            assertThat(fetch.get("signature").isNull()).isTrue();
            assertThat(component(listed, "seq").get("capabilities")).isEmpty();
        }
    }

    private static JsonNode component(JsonNode listed, String name) {
        for (JsonNode c : listed) if (name.equals(c.path("name").asText())) return c;
        throw new AssertionError("no component " + name + " in " + listed);
    }
}
