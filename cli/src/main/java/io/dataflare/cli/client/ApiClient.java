package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;

/** The task server's API over {@link HttpClient}: JSON in and out, errors as {@link ApiException}. */
public final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ClientSettings settings;
    private final HttpClient http;
    private volatile boolean aborted;
    private volatile InputStream events;

    public ApiClient(ClientSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        SSLContext ssl = settings.sslContext();
        if (ssl != null) b.sslContext(ssl);
        this.http = b.build();
    }

    public String server() {
        return settings.server();
    }

    public JsonNode get(String path) throws ApiException, InterruptedException {
        return send(request(path).GET());
    }

    public JsonNode post(String path) throws ApiException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode post(String path, String contentType, String body) throws ApiException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public JsonNode put(String path, String contentType, String body) throws ApiException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public JsonNode delete(String path) throws ApiException, InterruptedException {
        return send(request(path).DELETE());
    }

    /**
     * Reads a Server-Sent Events stream, handing each event to {@code onEvent} until the stream ends,
     * {@code onEvent} returns false, or {@link #abort()} is called.
     */
    public void events(String path, EventHandler onEvent) throws ApiException, InterruptedException {
        if (aborted) return;
        HttpRequest req = request(path)
                .timeout(Duration.ofDays(365))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        }
        try (InputStream body = res.body()) {
            if (res.statusCode() >= 300)
                throw error(res.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            events = body;
            if (aborted) return; // aborted while the request was on its way
            // The reader is never closed from another thread: abort() closes the stream under it instead.
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() && !onEvent.onEvent(event, parse(data.toString()))) return;
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            if (aborted) return;
            throw unreachable(e);
        } finally {
            events = null;
        }
    }

    /**
     * Ends what this client is doing, from another thread (Ctrl-C in the shell): an event stream being read
     * ends as if the server had closed it, and no new one is opened.
     */
    public void abort() {
        aborted = true;
        InputStream in = events;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing is all that was asked
            }
        }
    }

    /** Whether {@link #abort()} was called. */
    public boolean aborted() {
        return aborted;
    }

    /** Receives events; returns false to stop reading. */
    @FunctionalInterface
    public interface EventHandler {
        boolean onEvent(String type, JsonNode data);
    }

    /** A path with query parameters (null values left out), URL-encoded. */
    public static String path(String base, Map<String, ?> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null) q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        return q.length() == 0 ? base : base + "?" + q;
    }

    /** A path segment, URL-encoded. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(settings.server() + path)).timeout(TIMEOUT);
        if (settings.token() != null) b.header("Authorization", "Bearer " + settings.token());
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) throws ApiException, InterruptedException {
        HttpResponse<String> res;
        try {
            res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (res.statusCode() >= 300) throw error(res.statusCode(), res.body());
        return parse(res.body());
    }

    private ApiException unreachable(Throwable e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new ApiException(
                0,
                "unreachable",
                "cannot reach the server at " + settings.server() + " (" + why
                        + "): is 'dataflare serve' running? (--server URL or DATAFLARE_SERVER)",
                null);
    }

    private static ApiException error(int status, String body) {
        JsonNode n = parse(body);
        String code = n.path("code").asText("http_" + status);
        String message = n.path("message").asText(body.isBlank() ? "HTTP " + status : body);
        if (status == 401) message += " (set DATAFLARE_TOKEN, or token: in ~/.dataflare/client.yaml)";
        return new ApiException(status, code, message, n.isMissingNode() ? null : n);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
