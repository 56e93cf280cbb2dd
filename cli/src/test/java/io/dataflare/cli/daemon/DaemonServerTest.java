package io.dataflare.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's side of the protocol, on a real Unix socket, with a stand-in for the CLI's commands. */
class DaemonServerTest {
    @TempDir
    Path dir;

    private DaemonServer server;
    private Thread serving;

    private void start(Duration idle, DaemonServer.Commands commands) throws IOException {
        server = new DaemonServer(dir.resolve("d.sock"), dir, "env-1", "build-1", idle, commands);
        serving = Thread.ofPlatform().start(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.close();
        if (serving != null) serving.join(10_000);
    }

    private record Answer(byte last, String out, String err, String lastText) {}

    private Answer send(String env, String build, String... args) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("d.sock")))) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            new DaemonProtocol.Hello(dir.toString(), env, build, false, args).write(out);
            DaemonProtocol.frame(out, DaemonProtocol.STDIN_END, new byte[0], 0, 0);
            StringBuilder stdout = new StringBuilder();
            StringBuilder stderr = new StringBuilder();
            while (true) {
                byte type = in.readByte();
                String text = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                switch (type) {
                    case DaemonProtocol.STDOUT -> stdout.append(text);
                    case DaemonProtocol.STDERR -> stderr.append(text);
                    default -> {
                        return new Answer(type, stdout.toString(), stderr.toString(), text);
                    }
                }
            }
        }
    }

    @Test
    void runsTheCommandWithTheClientsArgumentsAndStreams() throws Exception {
        start(Duration.ofHours(1), request -> {
            request.start();
            request.stdout().print("out:" + String.join(",", request.args()));
            request.stderr().print("err");
            return 7;
        });
        Answer a = send("env-1", "build-1", "validate", "x.yaml");
        assertThat(a.last()).isEqualTo(DaemonProtocol.EXIT);
        assertThat(a.lastText()).isEqualTo("7");
        assertThat(a.out()).isEqualTo("out:validate,x.yaml");
        assertThat(a.err()).isEqualTo("err");
    }

    @Test
    void anotherEnvironmentIsDeclinedAndTheDaemonGoesOn() throws Exception {
        start(Duration.ofHours(1), request -> {
            request.start();
            return 0;
        });
        Answer refused = send("env-2", "build-1", "run", "p.yaml");
        assertThat(refused.last()).isEqualTo(DaemonProtocol.REFUSED);
        assertThat(refused.lastText()).contains("environment variables differ");
        assertThat(send("env-1", "build-1", "run", "p.yaml").last()).isEqualTo(DaemonProtocol.EXIT);
    }

    @Test
    void aClientOfANewerBuildIsDeclinedAndTheOutdatedDaemonEnds() throws Exception {
        start(Duration.ofHours(1), request -> 0);
        Answer refused = send("env-1", "build-2", "run", "p.yaml");
        assertThat(refused.lastText()).contains("rebuilt");
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(dir.resolve("d.sock")).doesNotExist();
    }

    @Test
    void aCommandThatComesWhileAnotherRunsIsDeclined() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(Duration.ofHours(1), request -> {
            request.start();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                send("env-1", "build-1", "run", "long.yaml");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        Answer busy = send("env-1", "build-1", "validate", "p.yaml");
        assertThat(busy.last()).isEqualTo(DaemonProtocol.REFUSED);
        assertThat(busy.lastText()).contains("busy");
        release.countDown();
        first.join(30_000);
    }

    @Test
    void endsAfterItsIdleTimeAndRemovesItsSocket() throws Exception {
        start(Duration.ofMillis(200), request -> 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> !serving.isAlive());
        assertThat(Files.exists(dir.resolve("d.sock"))).isFalse();
        assertThat(Files.exists(DaemonSockets.pidFile(dir.resolve("d.sock")))).isFalse();
    }
}
