package io.dataflare.plugins.http;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Sends requests, retrying those answered 429 or 5xx (and those that fail to connect or time out) up to
 * {@code maxRetries} times. A {@code Retry-After} answer is waited for at least as long as it asks; one that asks
 * for more than {@code maxBackoff} fails at once rather than waiting less than the server asked. Other answers
 * (2xx, 3xx, 4xx) are returned for the caller to route.
 */
final class RetryingClient {
    private final HttpClient client;
    private final String component;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final int maxRetries;
    private final long backoffMs;
    private final long maxBackoffMs;
    private final int maxErrorBody;
    private final PluginMetrics metrics;

    RetryingClient(
            HttpClient client,
            String component,
            Map<String, String> headers,
            Duration timeout,
            int maxRetries,
            long backoffMs,
            long maxBackoffMs,
            int maxErrorBody,
            PluginMetrics metrics) {
        this.client = client;
        this.component = component;
        this.headers = headers;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.backoffMs = backoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.maxErrorBody = maxErrorBody;
        this.metrics = metrics;
    }

    /** A request to {@code uri} with the configured headers and timeout. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(b::header);
        return b;
    }

    /**
     * The first answer that is not 429 or 5xx.
     *
     * @throws PluginException of class {@code io} when every attempt failed, naming the last failure
     */
    HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        long delay = Math.max(backoffMs, 1);
        String what = component + ": " + request.method() + " " + request.uri();
        for (int attempt = 1; ; attempt++) {
            String failure;
            long wait = delay;
            long started = System.nanoTime();
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                metrics.record("http_request_time", Duration.ofNanos(System.nanoTime() - started));
                int status = r.statusCode();
                if (status != 429 && status < 500) return r;
                failure = "answered " + status + body(r.body());
                long asked =
                        RetryAfter.millis(r.headers().firstValue("Retry-After").orElse(null), Instant.now());
                if (asked > maxBackoffMs) {
                    throw new PluginException(
                            ErrorClass.IO,
                            what + " " + failure + " with Retry-After " + asked + " ms, longer than max_backoff_ms ("
                                    + maxBackoffMs + ")");
                }
                if (asked >= 0) wait = asked;
            } catch (IOException e) {
                failure = "failed: " + e;
            }
            if (attempt > maxRetries) {
                throw new PluginException(ErrorClass.IO, what + " " + failure + " (" + attempt + " attempts)");
            }
            metrics.increment("http_retries", 1);
            Thread.sleep(Math.min(wait, maxBackoffMs));
            delay = Math.min(delay * 2, Math.max(maxBackoffMs, 1));
        }
    }

    /** The start of a response body for a message: " : BODY" (or nothing when empty). */
    String body(String text) {
        if (text == null || text.isEmpty()) return "";
        String t = text.strip();
        return ": "
                + (t.length() <= maxErrorBody ? t : t.substring(0, maxErrorBody) + "... (" + t.length() + " chars)");
    }
}
