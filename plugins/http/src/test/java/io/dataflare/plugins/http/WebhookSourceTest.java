package io.dataflare.plugins.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.tck.SimplePluginContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebhookSourceTest {
    private final WebhookSourceFactory factory = new WebhookSourceFactory();
    private final HttpClient client = HttpClient.newHttpClient();

    private WebhookSource source(Map<String, Object> extra) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("listen", "127.0.0.1:0", "path", "/hook"));
        config.putAll(extra);
        return (WebhookSource) factory.create(SimplePluginContext.of(factory, config, Path.of(".")));
    }

    private CompletableFuture<HttpResponse<String>> post(WebhookSource s, String path, String body) {
        URI uri = URI.create("http://127.0.0.1:" + s.address().getPort() + path);
        return client.sendAsync(
                HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static RecordBatch pollUntilRecords(WebhookSource s) throws Exception {
        for (int i = 0; i < 50; i++) {
            RecordBatch b = s.poll(100);
            if (b.size() > 0) return b;
        }
        throw new AssertionError("no records arrived");
    }

    @Test
    void answers202OnlyOnceACheckpointCoversTheRecordsAndDeliversThemOnce() throws Exception {
        try (WebhookSource s = source(Map.of())) {
            var response = post(s, "/hook", "[{\"id\":1},{\"id\":2},{\"id\":3}]");
            RecordBatch b = pollUntilRecords(s);
            assertThat(b.records()).extracting(r -> r.getLong("id")).containsExactly(1L, 2L, 3L);
            Thread.sleep(300);
            assertThat(response).isNotDone(); // read by the pipeline, not yet durable
            s.commit(b.position());
            HttpResponse<String> r = response.get(5, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.body()).isEqualTo("{\"accepted\":3}");
            assertThat(s.poll(100).size()).isZero();
        }
    }

    @Test
    void withAckReadAnswers202OnceThePipelineHasReadTheRecords() throws Exception {
        try (WebhookSource s = source(Map.of("ack", "read"))) {
            var response = post(s, "/hook", "{\"id\":1}\n{\"id\":2}\n");
            Thread.sleep(300);
            assertThat(response).isNotDone(); // queued, not yet read
            RecordBatch b = pollUntilRecords(s);
            assertThat(b.records()).extracting(r -> r.getLong("id")).containsExactly(1L, 2L);
            assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void aBadLineIsAnswered400NamingItAndNothingIsQueued() throws Exception {
        try (WebhookSource s = source(Map.of())) {
            HttpResponse<String> r =
                    post(s, "/hook", "{\"id\":1}\n{\"id\":\n{\"id\":3}\n").get(5, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).startsWith("line 2: not JSON").contains("nothing of this request was queued");
            assertThat(s.poll(100).size()).isZero();
        }
    }

    @Test
    void aBodyOverTheCapIsAnswered413AndAnotherPathIs404() throws Exception {
        try (WebhookSource s = source(Map.of("max_body_bytes", 64))) {
            HttpResponse<String> big = post(s, "/hook", "[" + "{\"id\":1},".repeat(20) + "{\"id\":1}]")
                    .get(5, TimeUnit.SECONDS);
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(post(s, "/other", "[]").get(5, TimeUnit.SECONDS).statusCode())
                    .isEqualTo(404);
            assertThat(s.poll(100).size()).isZero();
        }
    }

    @Test
    void anUnacknowledgedRequestIsAnswered503WhenTheSourceCloses() throws Exception {
        WebhookSource s = source(Map.of());
        var response = post(s, "/hook", "[{\"id\":1}]");
        pollUntilRecords(s);
        s.close();
        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    }
}
