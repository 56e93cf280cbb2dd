package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The task server's API: JSON in and out, errors as {@link ApiException}.
 *
 * <p>Requests go through {@link HttpURLConnection}: a short command makes one or two, and in a fresh JVM
 * {@link HttpClient} costs more to start than the call itself (its selector thread, a few hundred classes, the JDK's
 * trust store read even for an {@code http://} server). Event streams, which a person ends with Ctrl-C, keep
 * {@link HttpClient}: its stream can be closed from another thread while a read waits on it, where closing a
 * {@link HttpURLConnection}'s stream waits for that read to end.
 */
public final class ApiClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ClientSettings settings;
    private final SSLContext ssl;
    private HttpClient streams;
    private volatile boolean aborted;
    private volatile InputStream events;

    /** The mapper for what the commands write and for request bodies, made when first needed (see {@link JsonTree}). */
    static ObjectMapper json() {
        return Mapper.JSON;
    }

    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    public ApiClient(ClientSettings settings) {
        this.settings = settings;
        this.ssl = settings.sslContext();
    }

    public String server() {
        return settings.server();
    }

    public JsonNode get(String path) throws ApiException, InterruptedException {
        return send("GET", path, null, null);
    }

    public JsonNode post(String path) throws ApiException, InterruptedException {
        return send("POST", path, null, "");
    }

    public JsonNode post(String path, String contentType, String body) throws ApiException, InterruptedException {
        return send("POST", path, contentType, body);
    }

    public JsonNode put(String path, String contentType, String body) throws ApiException, InterruptedException {
        return send("PUT", path, contentType, body);
    }

    public JsonNode delete(String path) throws ApiException, InterruptedException {
        return send("DELETE", path, null, null);
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
            res = streams().send(req, HttpResponse.BodyHandlers.ofInputStream());
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

    private synchronized HttpClient streams() {
        if (streams == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS));
            if (ssl != null) b.sslContext(ssl);
            streams = b.build();
        }
        return streams;
    }

    /** One request and its answer: {@code body} null sends none. */
    private JsonNode send(String method, String path, String contentType, String body)
            throws ApiException, InterruptedException {
        int status;
        String answer;
        try {
            HttpURLConnection c = open(path);
            c.setRequestMethod(method);
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (contentType != null) c.setRequestProperty("Content-Type", contentType);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // a Ctrl-C in the shell while the request waited: the command was interrupted, not the server lost
            if (aborted || Thread.interrupted()) throw new InterruptedException();
            throw unreachable(e);
        }
        if (status >= 300) throw error(status, answer);
        return parse(answer);
    }

    private HttpURLConnection open(String path) throws IOException {
        // as the HttpClient before: no proxy, no redirects followed
        HttpURLConnection c =
                (HttpURLConnection) URI.create(settings.server() + path).toURL().openConnection(Proxy.NO_PROXY);
        if (ssl != null && c instanceof HttpsURLConnection https) https.setSSLSocketFactory(ssl.getSocketFactory());
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout((int) TIMEOUT.toMillis());
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestProperty("Accept", "*/*");
        if (settings.token() != null) c.setRequestProperty("Authorization", "Bearer " + settings.token());
        return c;
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
            return body == null || body.isBlank() ? MissingNode.getInstance() : JsonTree.parse(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public synchronized void close() {
        if (streams != null) streams.close();
    }
}
