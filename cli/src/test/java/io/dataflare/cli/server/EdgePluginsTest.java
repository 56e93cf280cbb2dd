package io.dataflare.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.cli.Main;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.ServerConfig;
import io.dataflare.server.TaskServer;
import io.dataflare.server.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin files from the central server to an edge node: an assignment naming a real plugin JAR makes the node
 * download it, check its SHA-256 and (the node requiring signed plugins) its signature, install it into its own
 * plugin folder and load it before it starts the task, which then uses the plugin's processor. An unsigned file or
 * one whose bytes do not match the announced digest is not installed and the task not started.
 */
@Timeout(120)
class EdgePluginsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL_TOKEN = "local-token-0123456789";
    private static final String PIPELINE = """
            sources: { in: { use: seq, with: { count: 5 } } }
            processors: { s: { use: stamp, from: in } }
            sinks: { out: { use: memory, from: s } }
            """;

    @TempDir
    Path dir;

    private Path centralPlugins;
    private Path trusted;
    private TestServer central;
    private TaskServer local;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void aCentralServerWithAPluginJar() throws Exception {
        centralPlugins = Files.createDirectories(dir.resolve("central-plugins"));
        trusted = Files.createDirectories(dir.resolve("trusted"));
        Path keys = dir.resolve("keys");
        assertThat(cli("plugins", "keygen", "acme", "--dir", keys.toString())).isZero();
        Files.copy(keys.resolve("acme.pub"), trusted.resolve("acme.pub"));
        Fixtures.stamp(centralPlugins.resolve("stamp.jar"), "1.0.0", "from-central");
        assertThat(cli(
                        "plugins",
                        "sign",
                        centralPlugins.resolve("stamp.jar").toString(),
                        "--key",
                        keys.resolve("acme.key").toString()))
                .isZero();
        Fixtures.stamp(centralPlugins.resolve("unsigned.jar"), "1.0.0", "unsigned");
        InProcessPlugins in = new InProcessPlugins();
        Engine engine = TaskServer.engineBuilder(ServerConfig.defaults(), List.of(centralPlugins))
                .build();
        engine.plugins().register(in.plugin());
        central = new TestServer(in, engine, dir.resolve("central-state"), ServerConfig.defaults());
    }

    @AfterEach
    void close() {
        if (local != null) local.close();
        if (central != null) central.close();
    }

    private static int cli(String... args) {
        return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }

    /** A node requiring signed plugins, trusting {@code acme}; its assigned plugins go to its state directory. */
    private EdgeAgent node(Path state) throws Exception {
        Path plugins = Files.createDirectories(EdgeAgent.pluginDir(state));
        Engine engine = TaskServer.engineBuilder(ServerConfig.defaults(), List.of(plugins))
                .registry(r -> r.trust(new PluginTrust(true, List.of(trusted))))
                .build();
        engine.plugins().register(new InProcessPlugins().plugin());
        local = TaskServer.start(
                ServerConfig.defaults()
                        .bind("127.0.0.1")
                        .port(0)
                        .state(state.resolve("state").toString())
                        .token(LOCAL_TOKEN),
                engine,
                name -> null,
                name -> Optional.empty(),
                new PrintWriter(new StringWriter(), true));
        return new EdgeAgent(
                central.url(),
                TestServer.TOKEN,
                "node-1",
                Map.of("site", "a"),
                state,
                local,
                new PrintWriter(err, true));
    }

    private void assign(String id, String plugin) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("selector").put("site", "a");
        body.put("pipeline", PIPELINE);
        body.putArray("plugins").add(plugin);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(central.url() + "/api/nodes/assignments/" + id))
                                .header("Authorization", "Bearer " + TestServer.TOKEN)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode localOutput(String task) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(local.url() + "/api/tasks/" + task + "/output?limit=100"))
                                .header("Authorization", "Bearer " + LOCAL_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Test
    void anAssignedSignedPluginIsFetchedCheckedInstalledAndLoadedBeforeTheTaskStarts() throws Exception {
        assign("stamped", "stamp.jar");
        Path state = dir.resolve("node");
        EdgeAgent agent = node(state);
        agent.sync();

        Path installed = EdgeAgent.pluginDir(state).resolve("stamp.jar");
        assertThat(installed).isRegularFile();
        assertThat(Files.readAllBytes(installed)).isEqualTo(Files.readAllBytes(centralPlugins.resolve("stamp.jar")));
        assertThat(installed.resolveSibling("stamp.jar.sig")).isRegularFile();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> localOutput("stamped").path("total").asInt() == 5);
        JsonNode records = localOutput("stamped").get("records");
        for (JsonNode r : records) assertThat(r.get("v").asText()).isEqualTo("from-central");

        long modified = Files.getLastModifiedTime(installed).toMillis();
        agent.sync();
        assertThat(Files.getLastModifiedTime(installed).toMillis())
                .as("an installed file with the announced digest is not fetched again")
                .isEqualTo(modified);
    }

    @Test
    void anUnsignedPluginIsRefusedByANodeRequiringSignaturesAndTheTaskNotStarted() throws Exception {
        assign("stamped", "unsigned.jar");
        Path state = dir.resolve("node");
        node(state).sync();
        assertThat(EdgeAgent.pluginDir(state).resolve("unsigned.jar")).doesNotExist();
        assertThat(local.tasks().list()).isEmpty();
        assertThat(err.toString())
                .contains("task 'stamped' not started: plugin file 'unsigned.jar': refused (this node requires signed"
                        + " plugins)");
    }

    @Test
    void aFileWhoseBytesDoNotMatchTheAnnouncedDigestIsNotInstalled() throws Exception {
        assign("stamped", "stamp.jar");
        Path state = dir.resolve("node");
        node(state);
        HttpClient http = HttpClient.newHttpClient();
        EdgePlugins plugins = new EdgePlugins(
                URI.create(central.url() + "/"),
                TestServer.TOKEN,
                EdgeAgent.pluginDir(state),
                local.engine().plugins(),
                http);
        ObjectNode p = JSON.createObjectNode()
                .put("file", "stamp.jar")
                .put("url", "/api/nodes/plugins/stamp.jar")
                .put("sha256", "0".repeat(64));
        String problem = plugins.install(JSON.createArrayNode().add(p));
        assertThat(problem).contains("plugin file 'stamp.jar': its SHA-256 is ").contains("not installed");
        assertThat(EdgeAgent.pluginDir(state).resolve("stamp.jar")).doesNotExist();
    }
}
