package io.dataflare.polyglot.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.PluginContext;
import io.dataflare.engine.host.Grants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The only way a script reaches outside its sandbox ({@code ctx.http}, {@code ctx.files}): every call is
 * checked against what the person running the pipeline granted the stage ({@link Grants}), never against what
 * the plugin's manifest asks for. HTTP goes to granted hosts only ({@code http:HOST}), without following
 * redirects (a redirect could lead to another host). Files are paths relative to the pipeline's folder,
 * read with {@code file:read:GLOB} and appended to or truncated with {@code file:write:GLOB}; absolute
 * paths, {@code ..} and symbolic links that lead out of the folder are refused. A refused call throws a
 * {@link SecurityException} saying what was asked and what is granted; the script may catch it.
 */
public final class HostFunctions implements AutoCloseable {
    /** The largest file {@code ctx.files.read} returns and the largest HTTP response body. */
    static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Grants grants;
    private final String stage;
    private final Path base;
    private final Duration httpTimeout;
    private final Map<Path, FileChannel> appending = new HashMap<>();
    private HttpClient http;

    /**
     * @param ctx         the component's context: its grants ({@link Grants#of(PluginContext)}) and the pipeline's
     *                    folder ({@link PluginContext#resolvePath})
     * @param httpTimeout how long an HTTP request may take (the call's own time limit stops it anyway)
     */
    public HostFunctions(PluginContext ctx, Duration httpTimeout) {
        this.grants = Grants.of(ctx);
        this.stage = ctx.stage();
        this.base = ctx.resolvePath(".").toAbsolutePath().normalize();
        this.httpTimeout = httpTimeout;
    }

    /**
     * {@code ctx.http.fetch(url, {method, headers, body})}: the response as JSON text {@code {status, headers,
     * body}} (the body as text, headers with their first value).
     */
    String fetch(String url, Object options) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ctx.http.fetch: '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("ctx.http.fetch: '" + url + "' is not an http(s) URL with a host");
        }
        if (!grants.allowsHttp(uri.getHost())) {
            throw new SecurityException("ctx.http.fetch: HTTP to host '" + uri.getHost() + "' is not granted to stage '"
                    + stage + "' (grants: " + grants + "; grant http:" + uri.getHost() + ")");
        }
        Map<?, ?> o = options instanceof Map<?, ?> m ? m : Map.of();
        String method = o.get("method") == null
                ? "GET"
                : String.valueOf(o.get("method")).toUpperCase(Locale.ROOT);
        Object body = o.get("body");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(httpTimeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(String.valueOf(body)));
        if (o.get("headers") instanceof Map<?, ?> headers) {
            for (Map.Entry<?, ?> h : headers.entrySet())
                b.header(String.valueOf(h.getKey()), String.valueOf(h.getValue()));
        }
        try {
            HttpResponse<byte[]> r = client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.body().length > MAX_BYTES)
                throw new IllegalStateException("ctx.http.fetch: the response is larger than " + MAX_BYTES + " bytes");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", r.statusCode());
            Map<String, String> hs = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> {
                if (!v.isEmpty()) hs.put(k, v.get(0));
            });
            out.put("headers", hs);
            out.put("body", new String(r.body(), StandardCharsets.UTF_8));
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.http.fetch " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ctx.http.fetch " + url + ": interrupted", e);
        }
    }

    /** {@code ctx.files.read(path)}: the file's text (UTF-8). */
    String read(String path) {
        Path file = granted(path, "read", "file:read:");
        try {
            if (Files.size(file) > MAX_BYTES)
                throw new IllegalStateException(
                        "ctx.files.read: '" + path + "' is larger than " + MAX_BYTES + " bytes");
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.files.read '" + path + "': " + e, e);
        }
    }

    /** {@code ctx.files.append(path, text)}: appends UTF-8 text, creating the file and its folders. */
    void append(String path, String text) {
        Path file = granted(path, "write", "file:write:");
        try {
            FileChannel c = appending.get(file);
            if (c == null) {
                Files.createDirectories(file.getParent());
                c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                c.position(c.size());
                appending.put(file, c);
            }
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) c.write(buf);
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.files.append '" + path + "': " + e, e);
        }
    }

    /** {@code ctx.files.size(path)}: the file's length in bytes, 0 when it does not exist. */
    long size(String path) {
        Path file = granted(path, "write", "file:write:");
        try {
            FileChannel c = appending.get(file);
            if (c != null) return c.size();
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.files.size '" + path + "': " + e, e);
        }
    }

    /** {@code ctx.files.truncate(path, length)}: cuts the file to {@code length} bytes (a sink's restore). */
    void truncate(String path, long length) {
        Path file = granted(path, "write", "file:write:");
        try {
            FileChannel c = appending.get(file);
            if (c == null) {
                if (!Files.exists(file)) return;
                try (FileChannel t = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    t.truncate(length);
                }
            } else {
                c.truncate(length);
                c.position(c.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.files.truncate '" + path + "': " + e, e);
        }
    }

    /** Makes what was appended durable (a sink's flush and checkpoint). */
    public void sync() throws IOException {
        for (FileChannel c : appending.values()) c.force(false);
    }

    /**
     * The file {@code path} names, when {@code path} is relative, stays inside the pipeline's folder and
     * {@code prefix} grants it.
     */
    private Path granted(String path, String verb, String prefix) {
        String relative = path.replace('\\', '/');
        Path p = Path.of(relative);
        boolean inside =
                !p.isAbsolute() && !relative.startsWith("/") && !p.normalize().startsWith("..");
        String normal = inside ? p.normalize().toString().replace('\\', '/') : relative;
        boolean allowed =
                inside && (verb.equals("read") ? grants.allowsFileRead(normal) : grants.allowsFileWrite(normal));
        if (!allowed) {
            throw new SecurityException("ctx.files: " + verb + " of '" + path + "' is not granted to stage '" + stage
                    + "' (grants: " + grants
                    + (inside
                            ? "; grant " + prefix + normal
                            : "; only paths relative to the" + " pipeline's folder can be granted")
                    + ")");
        }
        Path file = base.resolve(normal).normalize();
        try {
            // a symbolic link must not lead out of the folder
            Path real = Files.exists(file)
                    ? file.toRealPath()
                    : Files.isSymbolicLink(file) // dangling: where it would lead once its target exists
                            ? file.getParent()
                                    .toRealPath()
                                    .resolve(Files.readSymbolicLink(file))
                                    .normalize()
                            : realParent(file);
            if (real != null && !real.startsWith(base.toRealPath())) {
                throw new SecurityException(
                        "ctx.files: '" + path + "' leads out of the pipeline's folder (a symbolic link)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ctx.files '" + path + "': " + e, e);
        }
        return file;
    }

    private static Path realParent(Path file) throws IOException {
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) return p.toRealPath();
        }
        return null;
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(httpTimeout)
                    .build();
        }
        return http;
    }

    @Override
    public void close() {
        for (FileChannel c : appending.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing what was only appended to: nothing to lose
            }
        }
        appending.clear();
        HttpClient h;
        synchronized (this) {
            h = http;
            http = null;
        }
        if (h != null) h.close();
    }
}
