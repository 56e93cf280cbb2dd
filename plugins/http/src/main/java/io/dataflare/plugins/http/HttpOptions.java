package io.dataflare.plugins.http;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options the http sink and the polling http source share: headers, auth, timeouts and retries. */
final class HttpOptions {
    static final String HEADERS = "headers";
    static final String BEARER_TOKEN = "bearer_token";
    static final String TIMEOUT_MS = "timeout_ms";
    static final String MAX_RETRIES = "max_retries";
    static final String BACKOFF_MS = "backoff_ms";
    static final String MAX_BACKOFF_MS = "max_backoff_ms";
    static final String MAX_ERROR_BODY = "max_error_body";

    private HttpOptions() {}

    static ConfigSpec.Builder declare(ConfigSpec.Builder b) {
        return b.optional(HEADERS, ConfigType.MAP, null, "Request headers (name: value); values may use ${secret:name}")
                .optional(
                        BEARER_TOKEN,
                        ConfigType.STRING,
                        null,
                        "Sent as 'Authorization: Bearer TOKEN'; use ${secret:name} so it is masked everywhere")
                .optional(TIMEOUT_MS, ConfigType.LONG, 30_000L, "How long one request may take")
                .optional(MAX_RETRIES, ConfigType.LONG, 5L, "Retries of a request answered 429 or 5xx, or that failed")
                .optional(BACKOFF_MS, ConfigType.LONG, 200L, "First wait before a retry without Retry-After (doubles)")
                .optional(
                        MAX_BACKOFF_MS,
                        ConfigType.LONG,
                        30_000L,
                        "Longest wait before a retry; a Retry-After beyond it fails the request")
                .optional(MAX_ERROR_BODY, ConfigType.LONG, 1024L, "Characters of an error response kept in messages")
                .tuning(HEADERS, BEARER_TOKEN, TIMEOUT_MS, MAX_RETRIES, BACKOFF_MS, MAX_BACKOFF_MS, MAX_ERROR_BODY);
    }

    /** Checks the headers (the JDK client refuses some names, such as Host) and the numbers. */
    static void validate(PluginConfig c) {
        Map<String, Object> headers = c.getMap(HEADERS);
        if (headers != null) {
            for (Map.Entry<String, Object> e : headers.entrySet()) {
                Object v = e.getValue();
                if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    throw new ConfigException(HEADERS, "header '" + e.getKey() + "' must have a text value");
                }
                try {
                    HttpRequest.newBuilder(URI.create("http://localhost/")).header(e.getKey(), String.valueOf(v));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(HEADERS, "header '" + e.getKey() + "' cannot be set: " + ex.getMessage());
                }
            }
        }
        positive(c, TIMEOUT_MS);
        notNegative(c, MAX_RETRIES);
        notNegative(c, BACKOFF_MS);
        notNegative(c, MAX_BACKOFF_MS);
        positive(c, MAX_ERROR_BODY);
    }

    static void positive(PluginConfig c, String name) {
        long v = c.getLong(name, 1);
        if (v <= 0) throw new ConfigException(name, "must be greater than 0, got " + v);
    }

    static void notNegative(PluginConfig c, String name) {
        long v = c.getLong(name, 0);
        if (v < 0) throw new ConfigException(name, "must not be negative, got " + v);
    }

    /** The headers every request carries, the bearer token included. */
    static Map<String, String> headers(PluginConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> headers = c.getMap(HEADERS);
        if (headers != null) headers.forEach((k, v) -> out.put(k, String.valueOf(v)));
        String token = c.getString(BEARER_TOKEN);
        if (token != null) out.put("Authorization", "Bearer " + token);
        return out;
    }

    /** A client that retries as configured. */
    static RetryingClient client(PluginContext ctx, String component) {
        PluginConfig c = ctx.config();
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofMillis(c.getLong(TIMEOUT_MS, 30_000)))
                .build();
        return new RetryingClient(
                client,
                component,
                headers(c),
                Duration.ofMillis(c.getLong(TIMEOUT_MS, 30_000)),
                c.getInt(MAX_RETRIES, 5),
                c.getLong(BACKOFF_MS, 200),
                c.getLong(MAX_BACKOFF_MS, 30_000),
                c.getInt(MAX_ERROR_BODY, 1024),
                ctx.metrics());
    }

    /** {@code url} checked to be an absolute http or https URL. */
    static URI httpUri(String option, String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(option, "is not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || u.getHost() == null) {
            throw new ConfigException(option, "must be an absolute http:// or https:// URL, got \"" + url + "\"");
        }
        return u;
    }
}
