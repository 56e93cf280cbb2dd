package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataflare daemon}: the real launcher, a real daemon JVM and client JVMs. A command run through the daemon
 * gives what it gives in a JVM of its own (output, files, exit code, standard input, Ctrl-C), and a client the
 * daemon must not serve (another environment) runs its own JVM.
 */
class DaemonIT {
    private static final Path LAUNCHER = Distribution.launcher();

    @TempDir
    Path dir;

    private Path work;
    private Path cache;

    @BeforeEach
    void copyExample() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
        cache = dir.resolve("cache");
        Path examples = Path.of("..", "examples");
        Files.createDirectories(work.resolve("data"));
        Files.copy(examples.resolve("quickstart.yaml"), work.resolve("quickstart.yaml"));
        Files.copy(examples.resolve("data/orders.csv"), work.resolve("data/orders.csv"));
        Files.writeString(work.resolve("stdin.yaml"), """
                name: upper
                sources:
                  in: { use: stdin, with: { format: jsonl } }
                processors:
                  up: { use: map, from: in, with: { set: { name: "name.toUpperCase()" } } }
                sinks:
                  out: { use: stdout, from: up, with: { format: jsonl } }
                """);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        run(Map.of(), null, "daemon", "stop");
    }

    @Test
    void commandsRunThroughTheDaemonAsTheyRunInTheirOwnJvm() throws Exception {
        Result started = run(Map.of(), null, "daemon", "start");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("0 command(s) run");

        Result own = run(Map.of("DATAFLARE_DAEMON", "0"), null, "validate", "quickstart.yaml");
        Result viaDaemon = run(Map.of(), null, "validate", "quickstart.yaml");
        assertThat(viaDaemon.exit()).as(viaDaemon.err()).isZero();
        assertThat(viaDaemon.out()).isEqualTo(own.out()).contains("valid pipeline 'quickstart'");
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("1 command(s) run");

        // relative paths are this folder's, as in a JVM started here
        Result quickstart = run(Map.of(), null, "run", "quickstart.yaml", "--json", "--state", "memory:");
        assertThat(quickstart.exit()).as(quickstart.err()).isZero();
        assertThat(Distribution.JSON
                        .readTree(lastLine(quickstart.out()))
                        .get("records_out")
                        .asLong())
                .isEqualTo(6);
        assertThat(Files.readAllLines(work.resolve("out/orders.jsonl"))).hasSize(6);
        assertThat(Files.readAllLines(work.resolve("out/dead-letters.jsonl"))).hasSize(2);

        // standard input in, standard output out
        Result upper = run(Map.of(), "{\"name\":\"ann\"}\n{\"name\":\"bob\"}\n", "run", "stdin.yaml", "-q");
        assertThat(upper.exit()).as(upper.err()).isZero();
        assertThat(upper.out().lines().toList()).containsExactly("{\"name\":\"ANN\"}", "{\"name\":\"BOB\"}");

        // an invalid pipeline: the same message and exit code
        Files.writeString(work.resolve("bad.yaml"), "name: bad\nsources: {}\n");
        Result badOwn = run(Map.of("DATAFLARE_DAEMON", "0"), null, "validate", "bad.yaml");
        Result bad = run(Map.of(), null, "validate", "bad.yaml");
        assertThat(bad.exit()).isEqualTo(badOwn.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo(badOwn.err());
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("4 command(s) run");
    }

    /**
     * The daemon keeps the plugins of its runs loaded from one command to the next (their compiled code with them);
     * a plugin file replaced in the folder's {@code plugins/} between two runs is still what the next run uses.
     */
    @Test
    void aPluginReplacedBetweenTwoRunsThroughTheDaemonIsTheOneTheSecondRunUses() throws Exception {
        assertThat(run(Map.of(), null, "daemon", "start").exit()).isZero();
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.writeString(work.resolve("tagged.yaml"), """
                name: tagged
                sources:
                  in: { use: stdin, with: { format: jsonl } }
                processors:
                  tag: { use: tag@^1, from: in }
                sinks:
                  out: { use: stdout, from: tag, with: { format: jsonl } }
                """);
        for (String version : List.of("1.0.0", "1.1.0")) {
            Files.writeString(plugins.resolve("tag.js"), """
                    export const manifest = { id: 'tag', version: '%s', kind: 'processor' };
                    export function map(r) { return { ...r, tag: '%s' }; }
                    """.formatted(version, version));
            Result tagged = run(Map.of(), "{\"a\":1}\n", "run", "tagged.yaml", "-q");
            assertThat(tagged.exit()).as(tagged.err()).isZero();
            assertThat(tagged.out().strip()).isEqualTo("{\"a\":1,\"tag\":\"" + version + "\"}");
        }
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("2 command(s) run");
    }

    @Test
    void aClientWithOtherEnvironmentVariablesRunsItsOwnJvm() throws Exception {
        assertThat(run(Map.of(), null, "daemon", "start").exit()).isZero();
        Files.writeString(work.resolve("env.yaml"), """
                name: env
                sources:
                  in: { use: stdin, with: { format: jsonl } }
                processors:
                  tag: { use: map, from: in, with: { set: { tag: "'${TAG}'" } } }
                sinks:
                  out: { use: stdout, from: tag, with: { format: jsonl } }
                """);
        Result tagged = run(Map.of("TAG", "mine"), "{\"a\":1}\n", "run", "env.yaml", "-q");
        assertThat(tagged.exit()).as(tagged.err()).isZero();
        assertThat(tagged.out().strip()).isEqualTo("{\"a\":1,\"tag\":\"mine\"}");
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("0 command(s) run");
    }

    @Test
    void ctrlCStopsARunInTheDaemonGracefullyAndTheClientExitsAsAJvmOfItsOwnWould() throws Exception {
        assertThat(run(Map.of(), null, "daemon", "start").exit()).isZero();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(work.resolve("listen.yaml"), """
                name: listen
                sources:
                  in: { use: tcp, with: { listen: "127.0.0.1:%d", format: jsonl } }
                sinks:
                  out: { use: jsonl-file, from: in, with: { path: out/listen.jsonl } }
                runtime: { checkpoint_interval_ms: 200 }
                """.formatted(port));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = launcher(Map.of(), "run", "listen.yaml")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // Ctrl-C, unless this JVM was started with SIGINT ignored (a background job): a JVM started by it could
        // not handle it either, so SIGTERM, which takes the same way, stands in
        String signal = sigintIgnored() ? "TERM" : "INT";
        try (Socket client = connectWhenListening(port)) {
            // the run in the daemon is under way and handles the signals
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> run(Map.of(), null, "daemon", "status")
                            .out()
                            .contains("running: dataflare run listen.yaml (stops gracefully on SIGINT, SIGTERM)"));
            new ProcessBuilder("kill", "-" + signal, Long.toString(clientJvm(p).pid()))
                    .start()
                    .waitFor();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(signal.equals("INT") ? 130 : 143);
        // the run's own graceful stop (not a killed JVM): its summary, then why it stopped
        assertThat(Files.readString(err))
                .contains("listen STOPPED")
                .contains("stopped by SIG" + signal + ": what was read reached the sinks");
        assertThat(run(Map.of(), null, "daemon", "status").out()).contains("1 command(s) run");
    }

    private static Socket connectWhenListening(int port) {
        return await().atMost(Duration.ofMinutes(2))
                .ignoreExceptions()
                .until(() -> new Socket("127.0.0.1", port), s -> true);
    }

    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:"))
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
        }
        return false;
    }

    /** The java child of the launcher's bash: the daemon client. */
    private static ProcessHandle clientJvm(Process launcher) {
        await().atMost(Duration.ofMinutes(1))
                .until(() -> launcher.toHandle().children().findAny().isPresent());
        return launcher.toHandle().children().findFirst().orElseThrow();
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private record Result(int exit, String out, String err) {}

    private Result run(Map<String, String> env, String stdin, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = launcher(env, args).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES))
                .as("dataflare " + String.join(" ", args))
                .isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private ProcessBuilder launcher(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().put("DATAFLARE_CACHE_DIR", cache.toString());
        pb.environment().put("DATAFLARE_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        return pb;
    }
}
