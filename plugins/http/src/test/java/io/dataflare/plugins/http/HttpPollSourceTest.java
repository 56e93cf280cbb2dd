package io.dataflare.plugins.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HttpPollSourceTest {
    private final HttpSourceFactory factory = new HttpSourceFactory();

    private Source source(Map<String, Object> config) throws Exception {
        return factory.create(SimplePluginContext.of(factory, config, Path.of(".")));
    }

    /** Three pages of three records (ids 1..9) linked by Link: rel="next". */
    private static LocalServer.Answer linkedPages(LocalServer.Request r) {
        Matcher m = Pattern.compile("page=(\\d+)").matcher(r.pathAndQuery());
        int page = m.find() ? Integer.parseInt(m.group(1)) : 1;
        StringBuilder body = new StringBuilder("[");
        for (int i = 1; i <= 3; i++)
            body.append(i > 1 ? "," : "")
                    .append("{\"id\":")
                    .append((page - 1) * 3 + i)
                    .append('}');
        body.append(']');
        Map<String, String> headers = page < 3
                ? Map.of("Link", "</items?page=1>; rel=\"first\", </items?page=" + (page + 1) + ">; rel=\"next\"")
                : Map.of();
        return new LocalServer.Answer(200, body.toString(), headers);
    }

    /** Records with ids 1..7, two per page, after the {@code since} cursor, as JSON lines. */
    private static LocalServer.Answer cursorPages(LocalServer.Request r) {
        Matcher m = Pattern.compile("since=(\\d+)").matcher(r.pathAndQuery());
        long since = m.find() ? Long.parseLong(m.group(1)) : 0;
        StringBuilder body = new StringBuilder();
        for (long id = since + 1; id <= Math.min(since + 2, 7); id++)
            body.append("{\"id\":").append(id).append("}\n");
        return LocalServer.Answer.ok(body.toString());
    }

    private static List<Long> drainIds(Source s, int max, List<RecordBatch> batches) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordBatch b = s.poll(max);
            if (b == null) return ids;
            batches.add(b);
            for (Record r : b) ids.add(r.getLong("id"));
        }
        throw new AssertionError("source did not end");
    }

    private static Map<String, Integer> countByPath(LocalServer server) {
        Map<String, Integer> n = new HashMap<>();
        for (LocalServer.Request r : server.requests) n.merge(r.pathAndQuery(), 1, Integer::sum);
        return n;
    }

    @Test
    void followsLinkNextPagesToTheEnd() throws Exception {
        try (LocalServer server = new LocalServer(HttpPollSourceTest::linkedPages);
                Source s = source(Map.of("url", server.url("/items?page=1"), "interval_ms", 0))) {
            assertThat(drainIds(s, 100, new ArrayList<>())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(countByPath(server))
                    .containsOnly(
                            Map.entry("/items?page=1", 1),
                            Map.entry("/items?page=2", 1),
                            Map.entry("/items?page=3", 1));
        }
    }

    @Test
    void pagesByCursorFieldUntilAnEmptyPage() throws Exception {
        try (LocalServer server = new LocalServer(HttpPollSourceTest::cursorPages);
                Source s = source(Map.of(
                        "url", server.url("/events"),
                        "format", "jsonl",
                        "cursor_field", "id",
                        "cursor_param", "since",
                        "interval_ms", 0))) {
            assertThat(drainIds(s, 100, new ArrayList<>())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(server.requests)
                    .extracting(LocalServer.Request::pathAndQuery)
                    .containsExactly(
                            "/events", "/events?since=2", "/events?since=4", "/events?since=6", "/events?since=7");
        }
    }

    @Test
    void resumesFromACheckpointPositionWithoutReadingAPageTwice() throws Exception {
        try (LocalServer server = new LocalServer(HttpPollSourceTest::linkedPages)) {
            Map<String, Object> config = Map.of("url", server.url("/items?page=1"), "interval_ms", 0);
            Map<String, Object> position;
            List<Long> first = new ArrayList<>();
            try (Source s = source(config)) {
                RecordBatch b = s.poll(3); // exactly page 1
                b.forEach(r -> first.add(r.getLong("id")));
                position = b.position();
            }
            List<Long> rest;
            try (Source s = source(config)) {
                s.seek(position);
                rest = drainIds(s, 3, new ArrayList<>());
            }
            assertThat(first).containsExactly(1L, 2L, 3L);
            assertThat(rest).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(countByPath(server))
                    .containsOnly(
                            Map.entry("/items?page=1", 1),
                            Map.entry("/items?page=2", 1),
                            Map.entry("/items?page=3", 1));
        }
    }

    @Test
    void aPositionInsideAPageSkipsWhatWasDelivered() throws Exception {
        try (LocalServer server = new LocalServer(HttpPollSourceTest::cursorPages)) {
            Map<String, Object> config = Map.of(
                    "url", server.url("/events"),
                    "format", "jsonl",
                    "cursor_field", "id",
                    "cursor_param", "since",
                    "interval_ms", 0);
            List<Long> ids = new ArrayList<>();
            Map<String, Object> position;
            try (Source s = source(config)) {
                for (Record r : s.poll(2)) ids.add(r.getLong("id")); // page 1: 1, 2
                RecordBatch b = s.poll(1); // half of page 2: 3
                b.forEach(r -> ids.add(r.getLong("id")));
                position = b.position();
            }
            assertThat(position).containsEntry("cursor", "2").containsEntry("skip", 1L);
            try (Source s = source(config)) {
                s.seek(position);
                ids.addAll(drainIds(s, 100, new ArrayList<>()));
            }
            assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @Test
    void aBadLineIsRejectedWithUrlAndLineAndTheRestIsRead() throws Exception {
        try (LocalServer server =
                        new LocalServer(r -> LocalServer.Answer.ok("{\"id\":1}\n{\"id\": oops}\n[1]\n{\"id\":4}\n"));
                Source s = source(Map.of("url", server.url("/feed"), "format", "jsonl", "interval_ms", 0))) {
            List<RecordBatch> batches = new ArrayList<>();
            assertThat(drainIds(s, 100, batches)).containsExactly(1L, 4L);
            List<Rejection> rejected = new ArrayList<>();
            batches.forEach(b -> rejected.addAll(b.rejections()));
            assertThat(rejected).hasSize(2);
            assertThat(rejected.get(0).reason()).contains("/feed line 2: not JSON");
            assertThat(rejected.get(0).record().header("source.line")).isNull();
            assertThat(rejected.get(0).record().header("source.position")).isEqualTo("line 2");
            assertThat(rejected.get(0).record().getString("raw")).isEqualTo("{\"id\": oops}");
            assertThat(rejected.get(1).reason()).contains("line 3: not a JSON object");
        }
    }

    @Test
    void afterTheLastPageItPollsAgainAfterTheIntervalForNewItemsOnly() throws Exception {
        List<String> items = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("{\"id\":1}"));
        try (LocalServer server = new LocalServer(r -> LocalServer.Answer.ok("[" + String.join(",", items) + "]"));
                Source s = source(Map.of("url", server.url("/feed"), "interval_ms", 200))) {
            assertThat(s.poll(10).records()).extracting(r -> r.getLong("id")).containsExactly(1L);
            items.add("{\"id\":2}");
            List<Long> later = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (later.isEmpty() && System.nanoTime() < deadline) {
                s.poll(10).forEach(r -> later.add(r.getLong("id")));
            }
            assertThat(later).containsExactly(2L);
            long gapMs =
                    (server.requests.get(1).nanos() - server.requests.get(0).nanos()) / 1_000_000;
            assertThat(gapMs).isGreaterThanOrEqualTo(200);
        }
    }
}
