package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.Main;
import io.dataflare.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged distribution under test (cli/target/dataflare: lib/ and the real plugin JARs in plugins/). */
final class Distribution {
    static final ObjectMapper JSON = new ObjectMapper();

    private Distribution() {}

    /** The repository's launcher script, which users run. */
    static Path launcher() {
        return Path.of("..", "dataflare").toAbsolutePath().normalize();
    }

    static Path home() {
        Path home = Path.of(System.getProperty("dataflare.home", "target/dataflare"));
        assertThat(home.resolve("plugins"))
                .as("the distribution is packaged before integration tests")
                .isDirectory();
        return home;
    }

    static Path plugins() {
        return home().resolve("plugins");
    }

    /** An engine over the distribution's plugins, as the CLI builds it. */
    static Engine engine() {
        return Engine.builder().pluginDirectory(plugins()).build();
    }

    /** The result of running the CLI in process. */
    record Cli(int exit, String out, String err) {
        /** The last line of stdout as JSON. */
        JsonNode json() throws IOException {
            String[] lines = out.strip().split("\\R");
            return JSON.readTree(lines[lines.length - 1]);
        }
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /** Runs the CLI in a child JVM (own heap limits), returning its exit code and output. */
    static Cli childJvm(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        Path outFile = Files.createTempFile("dataflare-out", ".txt");
        Path errFile = Files.createTempFile("dataflare-err", ".txt");
        Process p = startChild(jvmArgs, outFile, errFile, args);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + String.join(" ", args));
        }
        return new Cli(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
    }

    /** Starts the CLI in a child JVM writing to the given files; the caller waits for it (or kills it). */
    static Process startChild(List<String> jvmArgs, Path outFile, Path errFile, String... args) throws IOException {
        return startChild(jvmArgs, java.util.Map.of(), outFile, errFile, args);
    }

    /** As {@link #startChild(List, Path, Path, String...)}, with extra environment variables. */
    static Process startChild(
            List<String> jvmArgs, java.util.Map<String, String> env, Path outFile, Path errFile, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add("-Ddataflare.home=" + home().toAbsolutePath());
        cmd.add("-cp");
        cmd.add(home().resolve("lib").toAbsolutePath() + "/*");
        cmd.add("io.dataflare.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * {@code dataflare serve --config CONFIG --port 0 --state-dir DIR/state} with {@code DATAFLARE_TOKEN}, its output
     * in {@code DIR/serve<run>.out} and {@code .err}; {@link #serverUrl} waits for the address it listens on.
     */
    static Process startServer(Path dir, String run, Path config, String token, String maxHeap) throws IOException {
        return startChild(
                List.of("-Xmx" + maxHeap),
                java.util.Map.of("DATAFLARE_TOKEN", token),
                dir.resolve("serve" + run + ".out"),
                dir.resolve("serve" + run + ".err"),
                "serve",
                "--config",
                config.toString(),
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString());
    }

    /** The URL a server started by {@link #startServer} prints once it listens (waits up to a minute). */
    static String serverUrl(Path dir, String run) {
        Pattern p = Pattern.compile("listening on (https?://\\S+)");
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = p.matcher(Files.readString(dir.resolve("serve" + run + ".out")));
            if (m.find()) found[0] = m.group(1);
            return found[0] != null;
        });
        return found[0];
    }

    /** Whether a run's file state store holds a checkpoint (a file in its {@code checkpoints} namespace). */
    static boolean hasCheckpoint(Path stateDir) throws IOException {
        Path checkpoints = stateDir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) return false;
        try (var files = Files.list(checkpoints)) {
            return files.anyMatch(
                    f -> Files.isRegularFile(f) && !f.getFileName().toString().contains(".tmp-"));
        }
    }
}
