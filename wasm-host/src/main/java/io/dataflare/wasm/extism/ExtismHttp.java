package io.dataflare.wasm.extism;

import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.host.Grants;
import io.dataflare.wasm.sandbox.LimitExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Extism's {@code http_request} served with the JDK's HTTP client, as Extism's own hosts serve it: the
 * request is a JSON object ({@code url}, {@code method}, default GET, {@code headers}: name to value) plus an
 * optional body; the response body comes back in Extism memory and its status from {@code
 * http_status_code}. Only hosts the stage granted ({@code http:HOST}, Extism's {@code allowed_hosts}) are
 * reached: a request to any other fails the call, as does a network error. Redirects are not followed (one
 * could lead to a host not granted). The body is capped like a call's output.
 */
final class ExtismHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile HttpClient client;

    private final Grants grants;
    private final long timeoutMs;
    private final int maxBody;
    private int lastStatus;

    ExtismHttp(Grants grants, long timeoutMs, int maxBody) {
        this.grants = grants;
        this.timeoutMs = timeoutMs;
        this.maxBody = maxBody;
    }

    /** The status of the last response (0 before any). */
    int status() {
        return lastStatus;
    }

    /** Sends the request; returns the response body. */
    byte[] send(byte[] requestJson, byte[] body) {
        JsonNode req;
        try {
            req = JSON.readTree(requestJson);
        } catch (IOException e) {
            throw new WasmRuntimeException("http_request: the request is not JSON: " + e.getMessage());
        }
        String url = req.path("url").asText("");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new WasmRuntimeException("http_request: bad url '" + url + "': " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new WasmRuntimeException("http_request: '" + url + "' is not an http(s) URL with a host");
        }
        if (!grants.allowsHttp(uri.getHost())) {
            throw new WasmRuntimeException("http_request to host '" + uri.getHost() + "' is not granted (granted: "
                    + new TreeSet<>(grants.all()) + "); grant it with http:" + uri.getHost()
                    + " in the stage's grants:");
        }
        String method = req.path("method").asText("GET").toUpperCase(Locale.ROOT);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(Math.max(1, timeoutMs)))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, JsonNode> h : req.path("headers").properties()) {
            try {
                b.header(h.getKey(), h.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw new WasmRuntimeException("http_request: header '" + h.getKey() + "': " + e.getMessage());
            }
        }
        try {
            HttpResponse<InputStream> r = client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] data = in.readNBytes(maxBody + 1);
                if (data.length > maxBody)
                    throw new LimitExceededException(
                            "http_request: the response body exceeds the limit of " + maxBody + " bytes");
                lastStatus = r.statusCode();
                return data;
            }
        } catch (InterruptedException e) {
            // the call's time limit (or the engine stopping): keep the flag for whoever interrupted
            Thread.currentThread().interrupt();
            throw new WasmRuntimeException("http_request to " + uri.getHost() + " interrupted");
        } catch (IOException e) {
            throw new WasmRuntimeException("http_request to " + url + " failed: " + e);
        }
    }

    private static HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (ExtismHttp.class) {
                if (client == null)
                    client = HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build();
                c = client;
            }
        }
        return c;
    }
}
