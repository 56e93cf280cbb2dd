package io.dataflare.plugins.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpSinkTest {
    private final HttpSinkFactory factory = new HttpSinkFactory();

    private Sink sink(Map<String, Object> config) throws Exception {
        return factory.create(SimplePluginContext.of(factory, config, Path.of(".")));
    }

    private static Record rec(long id, String user) {
        return Record.builder()
                .set("id", id)
                .set("user", user)
                .set("price", new BigDecimal("10.50"))
                .build();
    }

    /** Rejections reported by the sink. */
    static final class Collected implements Rejections {
        final List<Record> records = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void reject(Record record, String reason) {
            records.add(record);
            reasons.add(reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            reject(record, String.valueOf(error.getMessage()));
        }
    }

    @Test
    void jsonSendsTheBatchAsOneArray() throws Exception {
        try (LocalServer server = new LocalServer(r -> LocalServer.Answer.ok("{}"));
                Sink s = sink(Map.of("url", server.url("/in"), "format", "json"))) {
            Collected rejected = new Collected();
            s.write(RecordBatch.of(rec(1, "a"), rec(2, "b")), rejected);
            assertThat(rejected.records).isEmpty();
            assertThat(server.requests).hasSize(1);
            LocalServer.Request r = server.requests.get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(RecordJson.parse(r.body(), Decimals.EXACT))
                    .isEqualTo(List.of(
                            Map.of("id", 1L, "user", "a", "price", new BigDecimal("10.50")),
                            Map.of("id", 2L, "user", "b", "price", new BigDecimal("10.50"))));
        }
    }

    @Test
    void jsonlSendsTheBatchAsJsonLines() throws Exception {
        try (LocalServer server = new LocalServer(r -> LocalServer.Answer.ok(""));
                Sink s = sink(Map.of("url", server.url("/in"), "format", "jsonl", "method", "PUT"))) {
            s.write(RecordBatch.of(rec(1, "a"), rec(2, "b")), new Collected());
            assertThat(server.requests).hasSize(1);
            LocalServer.Request r = server.requests.get(0);
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
            assertThat(r.body())
                    .isEqualTo(
                            "{\"id\":1,\"user\":\"a\",\"price\":10.50}\n{\"id\":2,\"user\":\"b\",\"price\":10.50}\n");
        }
    }

    @Test
    void recordSendsOneRequestPerRecord() throws Exception {
        try (LocalServer server = new LocalServer(r -> new LocalServer.Answer(201, "", Map.of()));
                Sink s = sink(Map.of("url", server.url("/one"), "format", "record"))) {
            s.write(RecordBatch.of(rec(1, "a"), rec(2, "b"), rec(3, "c")), new Collected());
            assertThat(server.requests)
                    .extracting(LocalServer.Request::body)
                    .containsExactly(
                            "{\"id\":1,\"user\":\"a\",\"price\":10.50}",
                            "{\"id\":2,\"user\":\"b\",\"price\":10.50}",
                            "{\"id\":3,\"user\":\"c\",\"price\":10.50}");
        }
    }

    @Test
    void sendsConfiguredHeadersAndTheBearerToken() throws Exception {
        // The engine substitutes ${secret:api_token} before the plugin sees its configuration.
        String token = "s3cr3t-token-value";
        try (LocalServer server = new LocalServer(r -> LocalServer.Answer.ok(""));
                Sink s = sink(Map.of(
                        "url", server.url("/in"),
                        "headers", Map.of("X-Tenant", "acme"),
                        "bearer_token", token))) {
            s.write(RecordBatch.of(rec(1, "a")), new Collected());
            LocalServer.Request r = server.requests.get(0);
            assertThat(r.header("X-Tenant")).isEqualTo("acme");
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + token);
        }
    }

    @Test
    void waitsAtLeastRetryAfterThenSucceedsOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LocalServer server = new LocalServer(r -> calls.getAndIncrement() == 0
                        ? new LocalServer.Answer(503, "busy", Map.of("Retry-After", "1"))
                        : LocalServer.Answer.ok(""));
                Sink s = sink(Map.of("url", server.url("/in"), "backoff_ms", 10))) {
            Collected rejected = new Collected();
            s.write(RecordBatch.of(rec(1, "a")), rejected);
            assertThat(rejected.records).isEmpty();
            assertThat(server.requests).hasSize(2);
            long waitedMs =
                    (server.requests.get(1).nanos() - server.requests.get(0).nanos()) / 1_000_000;
            assertThat(waitedMs).isGreaterThanOrEqualTo(1000);
            assertThat(server.requests.get(1).body())
                    .isEqualTo(server.requests.get(0).body());
        }
    }

    @Test
    void retries429AndGivesUpAfterMaxRetries() throws Exception {
        try (LocalServer server = new LocalServer(r -> new LocalServer.Answer(429, "slow down", Map.of()));
                Sink s = sink(Map.of("url", server.url("/in"), "max_retries", 2, "backoff_ms", 10))) {
            assertThatThrownBy(() -> s.write(RecordBatch.of(rec(1, "a")), new Collected()))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("answered 429: slow down")
                    .satisfies(
                            e -> assertThat(((PluginException) e).errorClass()).isEqualTo("io"));
            assertThat(server.requests).hasSize(3);
        }
    }

    @Test
    void retryAfterBeyondMaxBackoffFailsWithoutWaitingLess() throws Exception {
        try (LocalServer server = new LocalServer(r -> new LocalServer.Answer(429, "", Map.of("Retry-After", "120")));
                Sink s = sink(Map.of("url", server.url("/in"), "max_backoff_ms", 1000))) {
            assertThatThrownBy(() -> s.write(RecordBatch.of(rec(1, "a")), new Collected()))
                    .hasMessageContaining("Retry-After 120000 ms, longer than max_backoff_ms (1000)");
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void a400SendsTheRequestsRecordsToTheDeadLettersWithStatusAndBody() throws Exception {
        String longBody = "{\"error\":\"field 'user' is invalid\"}" + "x".repeat(5000);
        try (LocalServer server = new LocalServer(r -> r.pathAndQuery().equals("/users/bad")
                        ? new LocalServer.Answer(400, longBody, Map.of())
                        : LocalServer.Answer.ok(""));
                Sink s = sink(Map.of("url", server.url("/users/{user}"), "max_error_body", 100))) {
            Collected rejected = new Collected();
            s.write(RecordBatch.of(rec(1, "ok"), rec(2, "bad"), rec(3, "bad")), rejected);
            assertThat(rejected.records).extracting(r -> r.getLong("id")).containsExactly(2L, 3L);
            assertThat(rejected.reasons.get(0))
                    .contains("answered 400")
                    .contains("/users/bad")
                    .contains("field 'user' is invalid")
                    .contains("(" + longBody.length() + " chars)")
                    .hasSizeLessThan(300);
            assertThat(server.requests).hasSize(2); // a 4xx is not retried
        }
    }

    @Test
    void urlTemplatesGroupTheBatchByResolvedUrl() throws Exception {
        try (LocalServer server = new LocalServer(r -> LocalServer.Answer.ok(""));
                Sink s = sink(Map.of("url", server.url("/users/{user}/events?src=df"), "format", "jsonl"))) {
            Collected rejected = new Collected();
            Record noUser = Record.builder().set("id", 9L).build();
            s.write(RecordBatch.of(rec(1, "a"), rec(2, "b/c d"), rec(3, "a"), noUser), rejected);
            Map<String, List<Long>> idsByPath = new HashMap<>();
            for (LocalServer.Request r : server.requests) {
                for (String line : r.body().split("\n")) {
                    Object id = ((Map<?, ?>) RecordJson.parse(line, Decimals.DOUBLE)).get("id");
                    idsByPath
                            .computeIfAbsent(r.pathAndQuery(), k -> new ArrayList<>())
                            .add((Long) id);
                }
            }
            assertThat(idsByPath)
                    .containsOnly(
                            Map.entry("/users/a/events?src=df", List.of(1L, 3L)),
                            Map.entry("/users/b%2Fc%20d/events?src=df", List.of(2L)));
            assertThat(rejected.records).containsExactly(noUser);
            assertThat(rejected.reasons.get(0)).contains("field 'user' is missing");
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("url", "ftp://x/{a"), Path.of(".")))
                .hasMessageContaining("url")
                .hasMessageContaining("'{' without '}'");
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("url", "file:/tmp/x"), Path.of(".")))
                .hasMessageContaining("absolute http:// or https:// URL");
        assertThatThrownBy(() -> SimplePluginContext.of(
                        factory, Map.of("url", "http://h/", "headers", Map.of("Host", "x")), Path.of(".")))
                .hasMessageContaining("header 'Host' cannot be set");
    }
}
