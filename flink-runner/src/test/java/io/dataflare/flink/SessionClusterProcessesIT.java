package io.dataflare.flink;

import static io.dataflare.flink.Fixtures.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Flink session cluster: a JobManager and two TaskManagers, each its own JVM started from Flink's artifacts
 * with a config.yaml written here. Their class path holds Flink's own JARs only (a Flink installation's lib/), none
 * of DataFlare's classes, plugins or the libraries DataFlare uses: the job ships them all. The job is submitted over
 * REST as {@code --flink HOST:PORT} does; a TaskManager process is SIGKILLed while the job writes, a replacement
 * started, and the file output holds every record exactly once. Five rounds on the same cluster, each killing a task
 * manager at another point; after each job the live task managers hold no unpacked plugins. And a signal to the
 * process following a job cancels the job on the cluster.
 */
class SessionClusterProcessesIT {
    private static final Path HOME = Path.of("target", "flink-session").toAbsolutePath();
    private static final Path FLINK_LIB = Path.of("target", "flink-lib").toAbsolutePath();
    /** A class of each library DataFlare's core and hosts use that Flink does not bring. */
    private static final List<String> DATAFLARE_ONLY = List.of(
            "com/fasterxml/jackson/databind/ObjectMapper.class",
            "org/yaml/snakeyaml/Yaml.class",
            "org/pf4j/PluginManager.class",
            "io/micrometer/core/instrument/MeterRegistry.class",
            "com/dylibso/chicory/runtime/Instance.class",
            "org/graalvm/polyglot/Context.class");

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
        // Ports are picked free, then bound by another process a moment later: another program may take one
        // meanwhile. A job manager that cannot bind exits; it is then started again on other ports.
        for (int attempt = 1; ; attempt++) {
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
            if (restAnswers()) break;
            assertThat(attempt)
                    .as(
                            "the job manager exited at start %d times (see %s)",
                            attempt, HOME.resolve("jobmanager/log.txt"))
                    .isLessThan(3);
        }
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
        CrashJob crash = CrashJob.write(dir, round);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        awaitTaskManagers(2);

        try (Engine engine = Fixtures.engine(plugins)) {
            FlinkRunner runner = new FlinkRunner(engine.load(crash.pipeline), plugins, null);
            CompletableFuture<PipelineResult> job = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.runOn("localhost:" + restPort);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            crash.awaitKillPoint(
                    Duration.ofSeconds(150),
                    () -> assertThat(job).as("the job ended early").isNotDone());
            int victim = round % TASK_MANAGERS.size();
            TASK_MANAGERS.remove(victim).destroyForcibly().waitFor();
            TEMP_DIRS.remove(victim);
            startTaskManager();

            crash.assertEveryRecordOnce(job.get(200, TimeUnit.SECONDS));
        }
        // the live task managers released the job's plugins: nothing unpacked is left in their temporary folders
        for (Path tmp : TEMP_DIRS)
            assertThat(unpacked(tmp)).as("unpacked plugins left in %s", tmp).isEmpty();
    }

    /**
     * Ctrl-C (SIGINT) or SIGTERM to the process following a job on the cluster cancels the job there (its shutdown
     * hook), instead of leaving an endless job running with nobody following it; the cluster's slots are free again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aSignalToTheSubmittingProcessCancelsTheJobOnTheCluster(String signal, @TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("endless.yaml");
        Files.writeString(pipeline, """
                name: endless-%s
                sources:
                  gen: { use: generator, with: { count: -1, keys: 10 } }
                processors:
                  slow: { use: delay, from: gen, with: { per_record_us: 200 } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: out/endless.jsonl } }
                runtime: { batch_size: 100, checkpoint_interval_ms: 500 }
                """.formatted(signal));
        awaitTaskManagers(2);
        Path log = dir.resolve("submit.log");
        Process submit = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SubmitToCluster.class.getName(),
                        pipeline.toString(),
                        Fixtures.BUILT_INS.toString(),
                        "localhost:" + restPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String job = null;
        try {
            Path out = dir.resolve("out/endless.jsonl");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lines(out) < 1000) {
                assertThat(submit.isAlive())
                        .as("the submitting process runs (see %s)", log)
                        .isTrue();
                assertThat(System.nanoTime()).as("the job writes (see %s)", log).isLessThan(deadline);
                Thread.sleep(50);
            }
            job = jobId("endless-" + signal);
            assertThat(rest("/jobs/" + job).path("state").asText()).isEqualTo("RUNNING");
            // a process started with SIGINT ignored (a background job of a non-interactive shell) never sees
            // Ctrl-C: nothing to test there
            assumeThat(ignores(submit, signal))
                    .as("the process ignores SIG%s", signal)
                    .isFalse();

            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(submit.pid()))
                    .start()
                    .waitFor();
            assertThat(exit).isZero();
            assertThat(submit.waitFor(60, TimeUnit.SECONDS))
                    .as("the process ends on SIG%s", signal)
                    .isTrue();

            assertThat(terminalState(job))
                    .as("the job on the cluster; the process said:%n%s", Files.readString(log))
                    .isEqualTo("CANCELED");
            assertThat(Files.readString(log)).contains("Flink job " + job + " cancelled");
            long written = lines(out);
            Thread.sleep(1000);
            assertThat(lines(out)).as("nothing writes any more").isEqualTo(written);
            awaitTaskManagers(2);
        } finally {
            submit.destroyForcibly();
            // an endless job left behind would hold the slots the other tests need
            if (job != null && !terminalState(job, 0).equals("CANCELED")) cancel(job);
        }
    }

    /** The id of the job named {@code dataflare: NAME}, from the cluster's REST API. */
    private static String jobId(String name) throws Exception {
        JsonNode jobs = rest("/jobs/overview").path("jobs");
        for (JsonNode j : jobs)
            if (j.path("name").asText().equals("dataflare: " + name))
                return j.path("jid").asText();
        throw new AssertionError("no job named " + name + " on the cluster: " + jobs);
    }

    /**
     * The job's state once it is CANCELED, FINISHED or FAILED, waiting up to 30 s (the REST API answers from a cache
     * that lags a few seconds), else its state then.
     */
    private static String terminalState(String id) throws Exception {
        return terminalState(id, 30);
    }

    private static String terminalState(String id, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String state = rest("/jobs/" + id).path("state").asText();
            if (Set.of("CANCELED", "FINISHED", "FAILED").contains(state) || System.nanoTime() >= deadline) return state;
            Thread.sleep(200);
        }
    }

    private static void cancel(String id) throws Exception {
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + restPort + "/jobs/" + id + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        terminalState(id);
    }

    /** Whether {@code p} ignores signal {@code name} (INT or TERM), from Linux's /proc. */
    private static boolean ignores(Process p, String name) throws IOException {
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        if (!Files.exists(status)) return false;
        int number = name.equals("INT") ? 2 : 15;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    private static JsonNode rest(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Fixtures.JSON.readTree(r.body());
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

    /**
     * A Flink installation's class path: the JARs the build put into {@code target/flink-lib} (Flink's artifacts, their
     * own dependencies and a logging binding). Checked to hold none of DataFlare's classes nor the libraries only
     * DataFlare uses, so a job that runs here brought them along.
     */
    private static String flinkClassPath() throws IOException {
        List<String> jars;
        try (Stream<Path> s = Files.list(FLINK_LIB)) {
            jars = s.filter(p -> p.toString().endsWith(".jar"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        assertThat(jars).as("Flink's lib/ in %s", FLINK_LIB).isNotEmpty();
        for (String jar : jars) {
            try (JarFile f = new JarFile(jar)) {
                for (String forbidden : DATAFLARE_ONLY) {
                    assertThat(f.getEntry(forbidden))
                            .as("%s in %s", forbidden, jar)
                            .isNull();
                }
                assertThat(f.stream().noneMatch(e -> e.getName().startsWith("io/dataflare/")))
                        .as("DataFlare classes in %s", jar)
                        .isTrue();
            }
        }
        return String.join(File.pathSeparator, jars);
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

    /** Whether the job manager's REST endpoint answers (all its ports are bound then); false if it exits first. */
    private static boolean restAnswers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) return false;
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/overview"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the job manager's REST endpoint did not answer within 90 s (see "
                + HOME.resolve("jobmanager/log.txt") + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
