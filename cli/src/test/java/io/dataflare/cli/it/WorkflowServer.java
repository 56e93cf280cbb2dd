package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged {@code dataflare serve} process for the workflow ITs: a file state store (in {@code DIR/state} unless
 * given), the
 * working directory {@code DIR} (where relative plugin files of definitions resolve), and one port kept across
 * restarts so that worker processes find the restarted server where they left it. Its output goes to
 * {@code DIR/serve<run>.out} and {@code .err}.
 */
final class WorkflowServer implements AutoCloseable {
    static final String TOKEN = "it-token-workflows-0123456789";

    private final Path dir;
    private final Path stateDir;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Process process;

    WorkflowServer(Path dir) throws IOException {
        this(dir, dir.resolve("state"));
    }

    WorkflowServer(Path dir, Path stateDir) throws IOException {
        this.dir = dir;
        this.stateDir = stateDir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Starts run {@code run} of the server and waits until it answers. */
    void start(String run) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx768m");
        cmd.add("-Ddataflare.home=" + Distribution.home().toAbsolutePath());
        cmd.add("-cp");
        cmd.add(Distribution.home().resolve("lib").toAbsolutePath() + "/*");
        cmd.add("io.dataflare.cli.Main");
        cmd.addAll(List.of(
                "serve",
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--state-dir",
                stateDir().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("serve" + run + ".out").toFile())
                .redirectError(dir.resolve("serve" + run + ".err").toFile());
        pb.environment().put("DATAFLARE_TOKEN", TOKEN);
        process = pb.start();
        Path out = dir.resolve("serve" + run + ".out");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive())
                        throw new AssertionError("the server exited " + process.exitValue() + ": "
                                + Files.readString(dir.resolve("serve" + run + ".err")));
                    return Files.readString(out).contains("listening on");
                });
    }

    /** SIGKILLs the server (no shutdown hook runs) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        http.close();
    }

    /** An HTTP answer: status and body. */
    record Response(int status, String body) {
        JsonNode json() throws IOException {
            return Distribution.JSON.readTree(body);
        }
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    /** GET of a JSON answer that must be 200. */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        Response r = get(path);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.json();
    }

    private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                b.timeout(Duration.ofSeconds(90))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** Registers workflow {@code id} with {@code definition} (ASL JSON). */
    void register(String id, String definition) throws IOException, InterruptedException {
        Response r = post("/api/workflows", "{\"id\": \"" + id + "\", \"definition\": " + definition + "}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    /** Starts execution {@code name} of {@code workflow}. */
    void startExecution(String workflow, String name, String input) throws IOException, InterruptedException {
        Response r = post(
                "/api/workflows/" + workflow + "/executions", "{\"name\": \"" + name + "\", \"input\": " + input + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** The execution's history events, oldest first. */
    JsonNode history(String execution) throws IOException, InterruptedException {
        return getJson("/api/executions/" + execution + "/history").get("events");
    }
}
