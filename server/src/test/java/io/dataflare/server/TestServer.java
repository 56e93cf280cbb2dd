package io.dataflare.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A real server on a free loopback port for tests: in-process plugins ({@code seq}, {@code collect}...) plus the
 * built-ins, a file state store, token {@value #TOKEN}, secret {@code db_password} = {@value #SECRET}.
 */
public final class TestServer implements AutoCloseable {
    public static final String TOKEN = "test-token-123";
    static final String SECRET = "s3cr3t-value";
    static final ObjectMapper JSON = new ObjectMapper();

    final InProcessPlugins plugins;
    final Path state;
    final Engine engine;
    final TaskServer server;
    final StringWriter err = new StringWriter();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer(InProcessPlugins plugins, Path state) {
        this(plugins, state, ServerConfig.defaults());
    }

    public TestServer(InProcessPlugins plugins, Path state, ServerConfig config) {
        this(
                plugins,
                TestEngines.withPlugins(plugins, b -> b.meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))),
                state,
                config);
    }

    /** A server over {@code engine} (with {@code plugins} registered and a {@link PrometheusMeterRegistry}), which it closes. */
    public TestServer(InProcessPlugins plugins, Engine engine, Path state, ServerConfig config) {
        this(plugins, engine, state, config, Map.of());
    }

    /** As above, with these environment variables (besides {@code HOME}). */
    public TestServer(
            InProcessPlugins plugins, Engine engine, Path state, ServerConfig config, Map<String, String> env) {
        this.plugins = plugins;
        this.state = state;
        this.engine = engine;
        SecretResolver secrets = name -> name.equals("db_password") ? Optional.of(SECRET) : Optional.empty();
        this.server = TaskServer.start(
                config.port(0).state(state.toString()).token(TOKEN),
                engine,
                name -> name.equals("HOME") ? "/home/test" : env.get(name),
                secrets,
                new PrintWriter(err, true));
    }

    public String url() {
        return server.url();
    }

    /** A response: its status and body (parsed when JSON). */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Response put(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN);
    }

    Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a task from YAML pipeline text; asserts 201. */
    public JsonNode create(String id, String yaml) {
        Response r = post("/api/tasks?id=" + id, "application/yaml", yaml);
        if (r.status() != 201) throw new AssertionError("create " + id + ": " + r.status() + " " + r.body());
        return r.json();
    }

    public String state(String id) {
        return get("/api/tasks/" + id).json().get("state").asText();
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
