package io.dataflare.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.wasm.testing.GrantedTestContext;
import io.dataflare.wasm.testing.WasmTestKit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extism plugins as they are, with no DataFlare manifest: the example shipped with Extism's AssemblyScript PDK
 * ({@code @extism/as-pdk} 1.0.0's {@code example.ts}, built by its own recipe), and a plugin calling Extism's
 * {@code http_request} through that PDK, served only for hosts the stage is granted.
 */
@Timeout(60)
class ExtismAsIsTest {
    static final Path EXTISM_AS = Path.of("..", "sdk-examples", "wasm", "extism-as");

    @TempDir
    Path dir;

    WasmTestKit kit;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        Path mods = Files.createDirectories(dir.resolve("mods"));
        for (String m : List.of("as-pdk-example-1.0.0.wasm", "extism-fetch-1.0.0.wasm"))
            Files.copy(EXTISM_AS.resolve(m), mods.resolve(m));
        kit = new WasmTestKit(dir.resolve("plugins"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            boolean found = ex.getRequestURI().getPath().equals("/greeting");
            byte[] body = (found ? "hello " + ex.getRequestHeaders().getFirst("accept") : "nothing here")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(found ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void close() {
        kit.close();
        server.stop(0);
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    @Test
    void theAsPdkExampleWithNoManifestRunsWhenAPipelineNamesItsFile() throws Exception {
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 10 } } }
                processors:
                  vowels:
                    use: ../mods/as-pdk-example-1.0.0.wasm
                    from: in
                    with: { function: count_vowels, input: field:key, output: field:result, config: { thing: cfg } }
                sinks: { out: { use: collect, from: vowels, with: { name: out } } }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        List<Record> out = kit.collected("out");
        assertThat(out).hasSize(10);
        // keys are "k0".."k9": no vowels; config_get reads with: config; var_set then var_get round-trips
        assertThat(out.get(3).get("result")).isEqualTo(Map.of("count", 0L, "config", "cfg", "a", "this is var a"));
        assertThat(out.get(3).getLong("id")).isEqualTo(3L);
    }

    @Test
    void droppedIntoAPluginsFolderItIsNamedByItsFile() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        Files.copy(dir.resolve("mods/as-pdk-example-1.0.0.wasm"), dir.resolve("plugins/as-pdk-example-1.0.0.wasm"));
        Files.copy(dir.resolve("mods/as-pdk-example-1.0.0.wasm"), dir.resolve("plugins/Vowels.wasm"));
        List<String> labels = kit.engine().plugins().entries().stream()
                .filter(e -> e.file() != null)
                .map(e -> e.manifest().label() + " " + e.state() + " "
                        + e.manifest().capabilities())
                .sorted()
                .toList();
        assertThat(labels)
                .containsExactly(
                        "as-pdk-example@1.0.0 " + PluginEntry.State.LOADED + " [log, state]",
                        "vowels@0.0.0 " + PluginEntry.State.LOADED + " [log, state]");
        PipelineResult r = kit.run("""
                sources: { in: { use: seq, with: { count: 3 } } }
                processors:
                  p: { use: vowels, from: in, with: { function: count_vowels, input: field:key, output: field:v } }
                sinks: { out: { use: collect, from: p, with: { name: out } } }
                """);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
        assertThat(kit.collected("out")).hasSize(3);
    }

    @Test
    void aPluginCallingHttpRequestOnAStageWithoutAnHttpGrantIsRefusedByNameBeforeItRuns() throws Exception {
        String refusal;
        try {
            PipelineResult r = kit.run("""
                    sources: { in: { use: seq, with: { count: 3 } } }
                    processors:
                      fetch: { use: ../mods/extism-fetch-1.0.0.wasm, from: in, with: { function: fetch, input: field:key, output: field:body } }
                    sinks: { out: { use: collect, from: fetch, with: { name: out } } }
                    """);
            assertThat(r.state()).isEqualTo(PipelineState.FAILED);
            refusal = r.failure();
        } catch (RuntimeException e) {
            refusal = e.getMessage(); // refused when the pipeline is validated
        }
        assertThat(refusal).contains("extism-fetch@1.0.0").contains("http:*");
        assertThat(requests).hasValue(0);
        assertThat(kit.collected("out")).isEmpty();

        try (LoadedPlugin p = PluginLoaders.file(dir.resolve("mods/extism-fetch-1.0.0.wasm"))) {
            PluginFactory<?> f = p.components().get(0);
            assertThatThrownBy(() -> f.create(GrantedTestContext.of(f, with(), dir, List.of("wasi"))))
                    .isInstanceOf(SecurityException.class)
                    .hasMessageContaining("extism-fetch@1.0.0 requests [log, state, http:*]")
                    .hasMessageContaining("not granted: http:*")
                    .hasMessageContaining("it imports extism:host/env.http_request");
        }
    }

    @Test
    void withAnHttpGrantForOneHostItReachesThatHostAndNoOther() throws Exception {
        try (LoadedPlugin p = PluginLoaders.file(dir.resolve("mods/extism-fetch-1.0.0.wasm"));
                Processor fetch = granted(p, List.of("http:127.0.0.1"))) {
            RecordBatch out = fetch.process(urls(url("127.0.0.1", "/greeting"), url("127.0.0.1", "/missing")));
            assertThat(out.records())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getString("body")).isEqualTo("hello text/plain"));
            assertThat(out.rejections())
                    .singleElement()
                    .satisfies(rej -> assertThat(rej.reason()).contains("fetch returned 404"));
            assertThat(requests).hasValue(2);

            // the same server under another name is another host, not granted: that call fails, unsent
            assertThatThrownBy(() -> fetch.process(urls(url("localhost", "/greeting"))))
                    .hasMessageContaining("extism-fetch@1.0.0")
                    .hasMessageContaining("http_request to host 'localhost' is not granted");
            assertThat(requests).hasValue(2);

            RecordBatch again = fetch.process(urls(url("127.0.0.1", "/greeting")));
            assertThat(again.size())
                    .as("the plugin carries on after a refused call")
                    .isEqualTo(1);
        }
    }

    private static Map<String, Object> with() {
        // a network call within a call's time limit: generous, so that a loaded machine does not fail it
        return Map.of("function", "fetch", "input", "field:url", "output", "field:body", "timeout_ms", 10_000);
    }

    private Processor granted(LoadedPlugin p, List<String> grants) throws Exception {
        PluginFactory<?> f = p.components().get(0);
        return (Processor) f.create(GrantedTestContext.of(f, with(), dir, grants));
    }

    private static RecordBatch urls(String... urls) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (String u : urls) b.add(Record.builder().set("url", u).build());
        return b.build();
    }
}
