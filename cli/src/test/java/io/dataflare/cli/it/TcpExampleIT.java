package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tcp example through the CLI with the real plugin JAR: clients send CSV over loopback, the run
 * ends COMPLETED by itself once they are quiet ({@code runtime.stop_when_idle_ms}).
 */
@Timeout(120)
class TcpExampleIT {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Connects once the pipeline listens (it starts in the background), then sends {@code text}. */
    private static void send(int port, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Test
    void clientsFeedTheExampleAndTheRunEndsWhenTheyGoQuiet() throws Exception {
        int port = freePort();
        String yaml = Files.readString(Path.of("..", "examples", "tcp-to-jsonl.yaml"))
                .replace("${TCP_PORT:-9400}", Integer.toString(port))
                .replace("stop_when_idle_ms: 10000", "stop_when_idle_ms: 1500");
        Path pipeline = dir.resolve("tcp-to-jsonl.yaml");
        Files.writeString(pipeline, yaml);

        CompletableFuture<Distribution.Cli> run = CompletableFuture.supplyAsync(
                () -> Distribution.cli("run", pipeline.toString(), "--json", "--state", "memory:"));
        send(port, "id,name\n1,ann\n2,bob\n");
        send(port, "name,id\nchris,3\noops\n");
        Distribution.Cli r = run.get(90, TimeUnit.SECONDS);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("dead_lettered").asLong()).isEqualTo(1);
        List<String> out = Files.readAllLines(dir.resolve("out/tcp.jsonl"));
        assertThat(out)
                .extracting(l -> Distribution.JSON.readTree(l).get("id").asText() + ":"
                        + Distribution.JSON.readTree(l).get("name").asText())
                .containsExactlyInAnyOrder("1:ann", "2:bob", "3:chris");
        List<String> dlq = Files.readAllLines(dir.resolve("out/tcp-dead-letters.jsonl"));
        assertThat(dlq).hasSize(1);
        JsonNode d = Distribution.JSON.readTree(dlq.get(0));
        assertThat(d.get("error").asText()).matches("tcp peer 127\\.0\\.0\\.1:\\d+ line 3: expected 2 fields, found 1");
        assertThat(d.get("plugin").asText()).isEqualTo("dataflare-tcp@1.1.0");
        assertThat(d.get("headers").get("source.line").asText()).isEqualTo("3");
    }
}
