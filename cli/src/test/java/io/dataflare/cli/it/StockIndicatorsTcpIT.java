package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/stock-indicators-tcp.yaml} through the CLI with the real plugin JARs: ticks fed live over one TCP
 * connection, a few at a time, to a running {@code dataflare run}; once the feed goes quiet
 * ({@code runtime.stop_when_idle_ms}, added here) the run ends and every per-stock file is the reference's. It
 * runs the Rust WASM processor; {@link StockIndicatorsIT} runs the JavaScript one on the same logic and reference.
 * And the same pipeline as a task of {@code dataflare serve} ({@code examples/server/stock-tasks.yaml}), fed live and
 * stopped through the client.
 */
@Timeout(180)
class StockIndicatorsTcpIT {
    private static final String TOKEN = "stock-indicators-it-token-0123456789";
    private static final String TASK = "stock-indicators-live";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Connects once the pipeline listens, then sends the lines in chunks with pauses, as a live feed would. */
    private static void feed(int port, List<String> lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < lines.size(); i++) {
                    out.write((lines.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
                    if (i % 500 == 499) {
                        out.flush();
                        Thread.sleep(20);
                    }
                }
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Test
    void ticksFedOverTcpGiveTheReferenceFiles() throws Exception {
        Path ticks = dir.resolve("ticks.csv");
        StockTicks.write(ticks, 20_000, 25, 11);
        int port = freePort();
        String yaml = Files.readString(StockExample.EXAMPLES.resolve("stock-indicators-tcp.yaml"));
        assertThat(yaml).doesNotContain("stop_when_idle_ms:").contains("runtime:\n");
        yaml = StockExample.withVars(
                        yaml,
                        Map.of(
                                "TCP_PORT", Integer.toString(port),
                                "INDICATORS", StockExample.WASM.toAbsolutePath().toString()))
                // not shorter: a source held back by a busy pipeline produces nothing either, and the idle stop
                // would end the run with ticks still unread (the WASM processor: no cold JIT to wait for)
                .replace("runtime:\n", "runtime:\n  stop_when_idle_ms: 10000\n");
        Path pipeline = Files.writeString(dir.resolve("stock-indicators-tcp.yaml"), yaml);

        CompletableFuture<Distribution.Cli> run = CompletableFuture.supplyAsync(
                () -> Distribution.cli("run", pipeline.toString(), "--json", "--state", "memory:"));
        feed(port, Files.readAllLines(ticks));
        Distribution.Cli r = run.get(150, TimeUnit.SECONDS);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_out").asLong()).as(r.out()).isEqualTo(20_000);
        assertThat(s.get("dead_lettered").asLong()).isZero();
        StockExample.assertSameAsReference(ticks, dir.resolve("out/indicators-live"), "tcp");
    }

    @Test
    void asAServerTaskFedLiveTheFilesAreTheReferenceOnceTheTaskStops() throws Exception {
        Path ticks = dir.resolve("ticks.csv");
        StockTicks.write(ticks, 10_000, 20, 12);
        int port = freePort();
        Files.writeString(
                dir.resolve("stock-indicators-tcp.yaml"),
                StockExample.withVars(
                        Files.readString(StockExample.EXAMPLES.resolve("stock-indicators-tcp.yaml")),
                        Map.of(
                                "TCP_PORT", Integer.toString(port),
                                "INDICATORS", StockExample.WASM.toAbsolutePath().toString())));
        String tasks = Files.readString(StockExample.EXAMPLES.resolve("server/stock-tasks.yaml"));
        assertThat(tasks).contains("file: ../stock-indicators-tcp.yaml");
        Path config = Files.writeString(
                dir.resolve("stock-tasks.yaml"),
                tasks.replace("file: ../stock-indicators-tcp.yaml", "file: stock-indicators-tcp.yaml"));
        Process server = Distribution.startServer(dir, "", config, TOKEN, "512m");
        try {
            String url = Distribution.serverUrl(dir, "");
            System.setProperty(
                    "dataflare.client.config",
                    Files.writeString(dir.resolve("client.yaml"), "server: " + url + "\ntoken: " + TOKEN + "\n")
                            .toString());
            feed(port, Files.readAllLines(ticks)); // connects once the task listens
            await().atMost(Duration.ofSeconds(120)).until(() -> recordsOut() == 10_000);
            Distribution.Cli stopped = Distribution.cli("task", "stop", TASK);
            assertThat(stopped.out()).as(stopped.err()).contains("is STOPPED");
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            System.clearProperty("dataflare.client.config");
        }
        StockExample.assertSameAsReference(ticks, dir.resolve("out/indicators-live"), "server task");
    }

    private static long recordsOut() throws Exception {
        Distribution.Cli show = Distribution.cli("task", "show", TASK, "--json");
        assertThat(show.exit()).as(show.err()).isZero();
        return show.json().at("/stats/records_out").asLong();
    }
}
