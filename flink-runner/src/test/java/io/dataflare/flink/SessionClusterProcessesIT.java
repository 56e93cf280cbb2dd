package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.File;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flink session cluster: a JobManager and two TaskManagers, each its own JVM started from Flink's artifacts
 * with a config.yaml written here. Their class path holds Flink and third-party libraries only, neither DataFlare's
 * classes nor its plugins: the job ships both. The job is submitted over REST as {@code --flink HOST:PORT} does; a
 * TaskManager process is SIGKILLed while the job writes, a replacement started, and the file output holds every
 * record exactly once. Five rounds on the same cluster, each killing a task manager at another point; after each
 * job the live task managers hold no unpacked plugins.
 */
class SessionClusterProcessesIT {
    private static final int RECORDS = 30_000;
    private static final Path HOME = Path.of("target", "flink-session").toAbsolutePath();
    private static final List<Process> TASK_MANAGERS = new ArrayList<>();
    /** The temporary folders of the live task managers, beside {@link #TASK_MANAGERS}. */
    private static final List<Path> TEMP_DIRS = new ArrayList<>();

    private static Process jobManager;
    private static int restPort;
    private static int started;

    @BeforeAll
    static void startCluster() throws Exception {
        // a fresh cluster folder: what an earlier run's killed task managers left there is not this run's leak
        if (Files.exists(HOME)) {
            try (Stream<Path> walk = Files.walk(HOME)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Path conf = Files.createDirectories(HOME.resolve("conf"));
        restPort = freePort();
        Files.writeString(conf.resolve("config.yaml"), """
                jobmanager.rpc.address: localhost
                jobmanager.rpc.port: %d
                jobmanager.bind-host: localhost
                rest.address: localhost
                rest.bind-address: localhost
                rest.port: %d
                blob.server.port: %d
                taskmanager.host: localhost
                taskmanager.bind-host: localhost
                taskmanager.numberOfTaskSlots: 1
                taskmanager.cpu.cores: 1
                taskmanager.memory.framework.heap.size: 64m
                taskmanager.memory.framework.off-heap.size: 64m
                taskmanager.memory.task.heap.size: 192m
                taskmanager.memory.task.off-heap.size: 0m
                taskmanager.memory.network.min: 32m
                taskmanager.memory.network.max: 32m
                taskmanager.memory.managed.size: 32m
                taskmanager.memory.jvm-metaspace.size: 192m
                taskmanager.memory.jvm-overhead.min: 64m
                taskmanager.memory.jvm-overhead.max: 64m
                heartbeat.interval: 1000
                heartbeat.timeout: 6000
                """.formatted(freePort(), restPort, freePort()));
        jobManager = start("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        startTaskManager();
        startTaskManager();
        awaitTaskManagers(2);
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : TASK_MANAGERS) p.destroyForcibly();
        if (jobManager != null) jobManager.destroyForcibly();
    }

    @RepeatedTest(5)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyRecordIsWrittenExactlyOnceAfterATaskManagerProcessIsKilled(RepetitionInfo repetition, @TempDir Path dir)
            throws Exception {
        int round = repetition.getCurrentRepetition();
        long killAt = RECORDS * (1 + round % 3) / 5L;
        Path pipeline = dir.resolve("crash.yaml");
        Files.writeString(pipeline, """
                name: crash
                sources:
                  gen: { use: generator, with: { count: %d, keys: 10 } }
                processors:
                  slow: { use: delay, from: gen, parallelism: 2, routing: { key: key }, with: { per_record_us: 100 } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: out/crash.jsonl } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 200 }
                """.formatted(RECORDS));
        Path out = dir.resolve("out/crash.jsonl");
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        awaitTaskManagers(2);

        try (Engine engine = Fixtures.engine(plugins)) {
            FlinkRunner runner = new FlinkRunner(engine.load(pipeline), plugins, null);
            CompletableFuture<PipelineResult> job = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.runOn("localhost:" + restPort);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (lines(out) < killAt) {
                assertThat(job).as("the job ended early").isNotDone();
                assertThat(System.nanoTime()).as("output started").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(lines(out)).isLessThan(RECORDS);
            int victim = round % TASK_MANAGERS.size();
            TASK_MANAGERS.remove(victim).destroyForcibly().waitFor();
            TEMP_DIRS.remove(victim);
            startTaskManager();

            PipelineResult result = job.get(200, TimeUnit.SECONDS);

            assertThat(result.failure()).isNull();
            assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
            List<JsonNode> written = Fixtures.jsonLines(out);
            Set<Long> ids = new HashSet<>();
            for (JsonNode n : written) ids.add(n.get("id").asLong());
            assertThat(ids).as("every record once").hasSize(RECORDS);
            assertThat(written).as("no record twice").hasSize(RECORDS);
            assertThat(result.stats().recordsIn()).isEqualTo(RECORDS);
            assertThat(result.stats().recordsOut()).isEqualTo(RECORDS);
        }
        // the live task managers released the job's plugins: nothing unpacked is left in their temporary folders
        for (Path tmp : TEMP_DIRS)
            assertThat(unpacked(tmp)).as("unpacked plugins left in %s", tmp).isEmpty();
    }

    private static List<Path> unpacked(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) return List.of();
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("dataflare-plugins-"))
                    .toList();
        }
    }

    private static void startTaskManager() throws IOException {
        String name = "taskmanager-" + started++;
        TASK_MANAGERS.add(start(name, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));
        TEMP_DIRS.add(HOME.resolve(name).resolve("tmp"));
    }

    /** Starts {@code main} in its own JVM with Flink's class path (none of DataFlare's classes), logging to a file. */
    private static Process start(String name, String main) throws IOException {
        Path home = Files.createDirectories(HOME.resolve(name));
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                flinkClassPath(),
                main,
                "--configDir",
                HOME.resolve("conf").toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("log.txt").toFile())
                .start();
    }

    /** This JVM's class path without DataFlare's own classes: Flink's artifacts and third-party libraries. */
    private static String flinkClassPath() throws IOException {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p) || !entry.endsWith(".jar")) continue;
            try (JarFile jar = new JarFile(p.toFile())) {
                if (jar.stream().anyMatch(e -> e.getName().startsWith("io/dataflare/"))) continue;
            }
            kept.add(entry);
        }
        return String.join(File.pathSeparator, kept);
    }

    private static void awaitTaskManagers(int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < deadline) {
            assertThat(jobManager.isAlive())
                    .as("the job manager runs (see %s)", HOME.resolve("jobmanager/log.txt"))
                    .isTrue();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/overview"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.body();
                JsonNode n = Fixtures.JSON.readTree(last);
                if (n.path("taskmanagers").asInt() == count
                        && n.path("slots-available").asInt() == count) return;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the cluster did not get " + count + " free task managers: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) return 0;
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }
}
