package io.dataflare.polyglot.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.source.Source;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host functions a script reaches outside its sandbox with, each checked against the stage's grants, and
 * scripts that try to go past them: another host, {@code ../} paths, an absolute path, a symbolic link out of
 * the pipeline's folder, and no grant at all. Each refusal fails the call with the plugin's id and says what
 * is granted.
 */
@Timeout(120)
class HostFunctionsHostileTest {
    @TempDir
    static Path dir;

    static Components components;
    static HttpServer server;
    static final AtomicInteger requests = new AtomicInteger();

    /** A source that reads what its config names with ctx.files.read or ctx.http.fetch, once. */
    static final String JS_READER = """
            export const manifest = { id: 'reader', version: '1.0.0', kind: 'source',
              config: { file: { type: 'string', default: '' }, url: { type: 'string', default: '' } } };
            let done = false, cfg;
            export function open(ctx) { cfg = ctx.config; }
            export function poll(max, ctx) {
              if (done) return null;
              done = true;
              if (cfg.file) return [{ text: ctx.files.read(cfg.file) }];
              const r = ctx.http.fetch(cfg.url, { headers: { 'x-test': 'yes' } });
              return [{ status: r.status, text: r.body }];
            }
            """;

    static final String PY_READER = """
            # id: reader-py
            # version: 1.0.0
            # kind: source
            # config:
            #   file: { type: string, default: "" }
            #   url: { type: string, default: "" }
            done = False

            def poll(max, ctx):
                global done
                if done:
                    return None
                done = True
                if ctx.config["file"]:
                    return [{"text": ctx.files.read(ctx.config["file"])}]
                r = ctx.http.fetch(ctx.config["url"])
                return [{"status": r["status"], "text": r["body"]}]
            """;

    static PluginFactory<?> js;
    static PluginFactory<?> py;

    @BeforeAll
    static void start() throws Exception {
        components = new Components(dir);
        js = components.load("reader.js", JS_READER);
        py = components.load("reader.py", PY_READER);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/in.csv"), "granted text");
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Path outside = Files.writeString(Files.createTempFile("outside", ".csv"), "outside the pipeline's folder");
        Files.createSymbolicLink(dir.resolve("data/link.csv"), outside);
        Files.createSymbolicLink(
                dir.resolve("data/dangling.csv"), dir.getParent().resolve("not-yet.csv"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = ("hello " + ex.getRequestHeaders().getFirst("x-test")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop(0);
        components.close();
    }

    static String read(PluginFactory<?> f, Map<String, ?> config, List<String> grants) throws Exception {
        // a generous time limit: the first HTTP request of a JVM starts the client on a loaded machine
        Map<String, Object> withTimeout = new java.util.HashMap<>(config);
        withTimeout.put("timeout_ms", 20_000);
        try (Source s = components.create(f, Source.class, withTimeout, grants)) {
            RecordBatch b = s.poll(10);
            return b.get(0).get("status") == null
                    ? b.get(0).getString("text")
                    : b.get(0).get("status") + " " + b.get(0).getString("text");
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/x";
    }

    @Test
    void aGrantedFileIsRead() throws Exception {
        assertThat(read(js, Map.of("file", "data/in.csv"), List.of("file:read:data/*.csv")))
                .isEqualTo("granted text");
        assertThat(read(py, Map.of("file", "data/in.csv"), List.of("file:read:data/*.csv")))
                .isEqualTo("granted text");
    }

    @Test
    void filesOutsideTheGrantAreRefused() {
        List<String> grant = List.of("file:read:data/*.csv");
        for (PluginFactory<?> f : List.of(js, py)) {
            String label = f == js ? "javascript plugin reader@1.0.0" : "python plugin reader-py@1.0.0";
            for (String path : List.of("secret.txt", "data/../secret.txt", "../outside.csv", "data/../../x.csv")) {
                assertThatThrownBy(() -> read(f, Map.of("file", path), grant))
                        .as(path)
                        .isInstanceOf(PluginException.class)
                        .hasMessageContaining(label)
                        .hasMessageContaining("is not granted to stage");
            }
            assertThatThrownBy(() ->
                            read(f, Map.of("file", dir.resolve("data/in.csv").toString()), grant))
                    .as("an absolute path, even to a granted file")
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("only paths relative to the pipeline's folder can be granted");
            for (String link : List.of("data/link.csv", "data/dangling.csv")) {
                assertThatThrownBy(() -> read(f, Map.of("file", link), grant))
                        .as("a symbolic link out of the folder")
                        .isInstanceOf(PluginException.class)
                        .hasMessageContaining("leads out of the pipeline's folder");
            }
            assertThatThrownBy(() -> read(f, Map.of("file", "data/in.csv"), List.of()))
                    .as("no grant at all")
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("grants: [")
                    .hasMessageContaining("grant file:read:data/in.csv");
        }
    }

    @Test
    void httpReachesTheGrantedHostOnly() throws Exception {
        int before = requests.get();
        assertThat(read(js, Map.of("url", url()), List.of("http:127.0.0.1"))).isEqualTo("200 hello yes");
        assertThat(read(py, Map.of("url", url()), List.of("http:127.0.0.1"))).isEqualTo("200 hello null");
        assertThat(requests.get()).isEqualTo(before + 2);
        String localhost = url().replace("127.0.0.1", "localhost");
        for (PluginFactory<?> f : List.of(js, py)) {
            assertThatThrownBy(() -> read(f, Map.of("url", localhost), List.of("http:127.0.0.1")))
                    .as("another host, though the same machine")
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("HTTP to host 'localhost' is not granted");
            assertThatThrownBy(() -> read(f, Map.of("url", url()), List.of()))
                    .as("no grant at all")
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("HTTP to host '127.0.0.1' is not granted");
            assertThatThrownBy(() -> read(f, Map.of("url", "file:///etc/passwd"), List.of("http:*")))
                    .as("not HTTP")
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("is not an http(s) URL");
        }
        assertThat(requests.get()).as("no refused request reached the server").isEqualTo(before + 2);
    }

    @Test
    void aManifestRequestingHttpIsRefusedWithoutTheGrant() throws Exception {
        PluginFactory<?> f = components.load("fetcher.js", """
                export const manifest = { id: 'fetcher', version: '1.0.0', kind: 'source',
                  capabilities: ['http:api.example.com', 'state'] };
                export function poll() { return null; }
                """);
        assertThatThrownBy(() -> components.create(f, Source.class))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("javascript plugin fetcher@1.0.0 requests http:api.example.com, which stage")
                .hasMessageContaining("requested: [http:api.example.com, state]");
        try (Source s = components.create(f, Source.class, Map.of(), List.of("http:api.example.com"))) {
            assertThat(s.poll(1)).isNull();
        }
    }
}
