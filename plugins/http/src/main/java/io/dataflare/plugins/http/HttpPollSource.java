package io.dataflare.plugins.http;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.source.Source;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads pages from a URL. With a cursor ({@code cursor_field} + {@code cursor_param}) the next page is the URL with
 * the parameter set to the last record's cursor value; otherwise it is the {@code Link: rel="next"} target. After
 * the last page (no next link; or an empty cursor page) the source waits {@code interval_ms} and asks the same
 * page again, delivering only the items beyond those it already delivered, or ends when the interval is 0.
 *
 * <p>The position is the page to ask for ({@code url}, or {@code cursor}) and how many of its items were
 * delivered ({@code skip}): a resumed run asks for that page and skips them, so no page is read twice and no
 * record is delivered twice across a checkpoint.
 */
final class HttpPollSource implements Source {
    private static final String URL = "url";
    private static final String CURSOR = "cursor";
    private static final String SKIP = "skip";

    private final RetryingClient client;
    private final String baseUrl;
    private final boolean lines;
    private final long intervalMs;
    private final String cursorField;
    private final String cursorParam;
    private final PluginMetrics metrics;

    private String pageUrl;
    private String cursor;
    private int skip;
    private List<JsonRecords.Item> page;
    private String pageFetched;
    private String nextLink;
    private int index;
    private long nextPollAt = System.nanoTime();
    private boolean ended;

    HttpPollSource(
            RetryingClient client,
            String url,
            boolean lines,
            long intervalMs,
            String cursorField,
            String cursorParam,
            PluginMetrics metrics) {
        this.client = client;
        this.baseUrl = url;
        this.pageUrl = url;
        this.lines = lines;
        this.intervalMs = intervalMs;
        this.cursorField = cursorField;
        this.cursorParam = cursorParam;
        this.metrics = metrics;
    }

    @Override
    public void seek(Map<String, Object> position) {
        if (position == null) return;
        if (cursorField != null) {
            Object c = position.get(CURSOR);
            cursor = c == null ? null : c.toString();
        } else if (position.get(URL) instanceof String u) {
            pageUrl = u;
        }
        skip = position.get(SKIP) instanceof Number n ? n.intValue() : 0;
    }

    @Override
    public RecordBatch poll(int maxRecords) throws Exception {
        if (page == null) {
            if (ended) return null;
            long waitMs = (nextPollAt - System.nanoTime()) / 1_000_000;
            if (waitMs > 0) {
                Thread.sleep(Math.min(waitMs, 100));
                return RecordBatch.EMPTY;
            }
            fetch();
            index = Math.min(skip, page.size());
        }
        RecordBatch.Builder out = RecordBatch.builder(Math.min(maxRecords, page.size() - index));
        while (index < page.size() && out.size() < maxRecords) {
            JsonRecords.Item item = page.get(index++);
            if (item.ok()) {
                out.add(item.record());
            } else {
                out.reject(rejection(item));
            }
        }
        if (index >= page.size()) finishPage();
        else skip = index;
        return out.position(position()).build();
    }

    private void fetch() throws InterruptedException {
        String target = cursorField == null ? pageUrl : withCursor();
        HttpResponse<String> r =
                client.send(client.request(URI.create(target)).GET().build());
        int status = r.statusCode();
        if (status < 200 || status >= 300) {
            throw new PluginException(
                    ErrorClass.IO, "http source: GET " + target + " answered " + status + client.body(r.body()));
        }
        metrics.increment("http_requests", 1);
        pageFetched = target;
        page = JsonRecords.read(r.body(), lines);
        nextLink = cursorField == null ? LinkHeader.next(r.headers().allValues("Link"), r.uri()) : null;
    }

    private String withCursor() {
        if (cursor == null) return baseUrl;
        return baseUrl + (baseUrl.indexOf('?') < 0 ? '?' : '&')
                + URLEncoder.encode(cursorParam, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    /** The whole page is delivered: move to the next page, or wait (or end) at the last one. */
    private void finishPage() {
        String next = nextLink;
        if (cursorField != null) {
            Record last = null;
            for (int i = page.size() - 1; i >= skip && last == null; i--)
                last = page.get(i).record();
            if (last != null) {
                Object c = last.get(cursorField);
                if (c == null) {
                    throw new PluginException(
                            ErrorClass.INVALID_RECORD,
                            "http source: the last record of " + pageFetched + " has no cursor_field '" + cursorField
                                    + "'; cannot ask for the next page");
                }
                cursor = c instanceof java.math.BigDecimal d ? d.toPlainString() : c.toString();
                skip = 0;
                next = "cursor";
            } else {
                skip = page.size();
            }
        } else if (next != null) {
            pageUrl = next;
            skip = 0;
        } else {
            skip = page.size();
        }
        page = null;
        if (next != null) {
            nextPollAt = System.nanoTime();
        } else if (intervalMs <= 0) {
            ended = true;
        } else {
            nextPollAt = System.nanoTime() + intervalMs * 1_000_000;
        }
    }

    private Map<String, Object> position() {
        Map<String, Object> p = new HashMap<>();
        if (cursorField != null) {
            if (cursor != null) p.put(CURSOR, cursor);
        } else {
            p.put(URL, pageUrl);
        }
        p.put(SKIP, (long) skip);
        return p;
    }

    private Rejection rejection(JsonRecords.Item item) {
        Record raw = Record.builder()
                .set("raw", item.raw())
                .header("source.url", pageFetched)
                .header("source.position", item.where())
                .build();
        return Rejection.invalid(raw, "http source: " + pageFetched + " " + item.where() + ": " + item.error());
    }
}
