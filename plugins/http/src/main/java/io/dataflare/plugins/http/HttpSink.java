package io.dataflare.plugins.http;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends each batch (grouped by the URL its records' {@code {field}} values give) in one request, or each record
 * in its own. A 2xx answer means written. A 4xx other than 429 means the server refused the data: the records of
 * that request are rejected (to the pipeline's error policy, e.g. the dead letters) with the status and the
 * start of the response body. 429 and 5xx are retried ({@link RetryingClient}); when the retries run out the
 * write fails and the engine's retry policy takes over.
 */
final class HttpSink implements Sink {
    enum Format {
        JSON("application/json"),
        JSONL("application/x-ndjson"),
        RECORD("application/json");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    private final RetryingClient client;
    private final UrlTemplate url;
    private final String method;
    private final Format format;
    private final PluginMetrics metrics;

    HttpSink(RetryingClient client, UrlTemplate url, String method, Format format, PluginMetrics metrics) {
        this.client = client;
        this.url = url;
        this.method = method;
        this.format = format;
        this.metrics = metrics;
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        if (batch.size() == 0) return;
        Map<String, List<Record>> byUrl = new LinkedHashMap<>();
        if (url.isConstant()) {
            byUrl.put(url.toString(), batch.records());
        } else {
            for (Record r : batch) {
                try {
                    byUrl.computeIfAbsent(url.expand(r), u -> new ArrayList<>()).add(r);
                } catch (IllegalArgumentException e) {
                    rejections.reject(r, "http sink: " + e.getMessage());
                }
            }
        }
        for (Map.Entry<String, List<Record>> e : byUrl.entrySet()) {
            if (format == Format.RECORD) {
                for (Record r : e.getValue()) send(e.getKey(), List.of(r), rejections);
            } else {
                send(e.getKey(), e.getValue(), rejections);
            }
        }
    }

    private void send(String target, List<Record> records, Rejections rejections) throws InterruptedException {
        byte[] body = format == Format.JSONL
                ? JsonRecords.lines(records)
                : format == Format.JSON ? JsonRecords.array(records) : JsonRecords.lines(records);
        if (format == Format.RECORD) body = java.util.Arrays.copyOf(body, body.length - 1); // no line feed
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            for (Record r : records) rejections.reject(r, "http sink: not a URL: " + target);
            return;
        }
        HttpRequest request = client.request(uri)
                .header("Content-Type", format.contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = client.send(request);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            metrics.increment("http_requests", 1);
            metrics.increment("records_sent", records.size());
            return;
        }
        if (status >= 400 && status < 500) {
            metrics.increment("http_refused", 1);
            String reason =
                    "http sink: " + method + " " + target + " answered " + status + client.body(response.body());
            for (Record r : records) rejections.reject(r, reason);
            return;
        }
        throw new PluginException(
                ErrorClass.IO,
                "http sink: " + method + " " + target + " answered " + status + client.body(response.body()));
    }
}
