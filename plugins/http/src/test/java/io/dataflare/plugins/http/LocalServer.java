package io.dataflare.plugins.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A real HTTP server on loopback that records every request and answers as the test says. */
final class LocalServer implements AutoCloseable {
    /** A request as the server saw it, with when it arrived. */
    record Request(String method, String pathAndQuery, Map<String, List<String>> headers, String body, long nanos) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    /** An answer: status, body and extra headers. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer ok(String body) {
            return new Answer(200, body, Map.of());
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LocalServer(Function<Request, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> handle(ex, answers));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex, Function<Request, Answer> answers) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath()
                            + (ex.getRequestURI().getRawQuery() == null
                                    ? ""
                                    : "?" + ex.getRequestURI().getRawQuery()),
                    Map.copyOf(ex.getRequestHeaders()),
                    body,
                    System.nanoTime());
            requests.add(r);
            Answer a = answers.apply(r);
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
