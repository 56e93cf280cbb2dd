package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable task queue under a real crash: executions of a Map workflow on a packaged {@code dataflare serve}
 * (file state store) schedule 10,000 {@code activity:crash-work} tasks (system property
 * {@code activity.crash.tasks}) at once: all of them are queued at the same moment (the activity's depth, read
 * through the API, reaches 10,000 before a worker starts). Then 4 worker processes ({@link ActivityCrashWorker})
 * take them by long poll over HTTP; once workers took about 40% of the tasks (the depth says) the server is SIGKILLed and
 * started again on the same state directory, the workers carrying on against it. At the end every execution has
 * succeeded with each item's result, each task was scheduled once and succeeded once in the histories (one
 * TaskSucceeded per task key and per item; an attempt whose lease ran out while the server was down is retried
 * under a new key), no worker had an answer taken twice, and a completion with a token whose lease ran out (held
 * by the test across the restart, without heartbeat) is refused with 409 while its retry's token is taken.
 */
class ActivityQueueCrashIT {
    private static final int TASKS = Integer.getInteger("activity.crash.tasks", 10_000);
    private static final int EXECUTIONS = 40;
    private static final int WORKERS = 4;

    /** A Map over the items, all at once (no MaxConcurrency): every task of an execution is queued at its start. */
    static final String CRASH_WORKFLOW = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0,
                      "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
                        "Work": {"Type": "Task", "Resource": "activity:crash-work", "HeartbeatSeconds": 10,
                                 "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1,
                                            "MaxAttempts": 3}],
                                 "End": true}}},
                      "End": true}}}
            """;

    /** One task whose lease runs out while the test holds its token across the restart, retried once. */
    static final String LATE_WORKFLOW = """
            {"StartAt": "Work", "States": {
              "Work": {"Type": "Task", "Resource": "activity:crash-late", "HeartbeatSeconds": 2,
                       "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                       "End": true}}}
            """;

    @TempDir
    Path dir;

    private final List<Process> workers = new ArrayList<>();
    private Path stateDir;

    /**
     * The store on tmpfs when the machine has one: a SIGKILL loses nothing the process wrote to the page cache, so
     * the crash is the same, and the file store's fsyncs (most of each commit on a loaded disk) cost nothing.
     */
    @BeforeEach
    void stateDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        stateDir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "activity-crash-it")
                : dir.resolve("state");
    }

    @AfterEach
    void stopWorkers() throws IOException, InterruptedException {
        for (Process w : workers) w.destroyForcibly();
        for (Process w : workers) w.waitFor(30, TimeUnit.SECONDS);
        if (stateDir.startsWith("/dev/shm"))
            try (var files = Files.walk(stateDir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
    }

    @Test
    void everyTaskIsCompletedExactlyOnceAcrossAServerSigkill() throws Exception {
        int perExecution = TASKS / EXECUTIONS;
        assertThat(perExecution * EXECUTIONS)
                .as("tasks divide into %d executions", EXECUTIONS)
                .isEqualTo(TASKS);
        try (WorkflowServer server = new WorkflowServer(dir, stateDir)) {
            server.start("1");
            server.register("crash", CRASH_WORKFLOW);
            server.register("late", LATE_WORKFLOW);
            long began = System.nanoTime();
            for (int e = 0; e < EXECUTIONS; e++) server.startExecution("crash", name(e), items(e, perExecution));
            // every task waits in the queue at the same moment before the first worker comes
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> server.getJson("/api/activities/crash-work/depth")
                                    .get("queued")
                                    .asLong()
                            >= TASKS);
            long queuedAt = System.nanoTime();
            for (int w = 0; w < WORKERS; w++) workers.add(startWorker(server, w));

            // the late completion: a task taken and held, without heartbeat, across the kill
            server.startExecution("late", "late-1", "{\"n\": -1}");
            WorkflowServer.Response held =
                    server.post("/api/activities/crash-late/poll", "{\"worker\": \"test\", \"wait_seconds\": 30}");
            assertThat(held.status()).as(held.body()).isEqualTo(200);
            String lostToken = held.json().get("task_token").asText();

            // kill by progress: once workers took about 40% of the tasks (the depth has 60% left waiting)
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> server.getJson("/api/activities/crash-work/depth")
                                    .get("queued")
                                    .asLong()
                            <= TASKS * 6L / 10);
            int finishedBeforeKill = server.getJson("/api/executions?workflow=crash&status=SUCCEEDED")
                    .get("executions")
                    .size();
            server.kill();
            long killedAt = System.nanoTime();
            assertThat(finishedBeforeKill)
                    .as("executions ended before the kill")
                    .isLessThan(EXECUTIONS);

            server.start("2");
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> server.getJson("/api/executions?workflow=crash&status=SUCCEEDED")
                                    .get("executions")
                                    .size()
                            == EXECUTIONS);
            long ended = System.nanoTime();

            // the held token's lease ran out: the retry is a new task with a new token, the old one is refused
            WorkflowServer.Response retry =
                    server.post("/api/activities/crash-late/poll", "{\"worker\": \"test\", \"wait_seconds\": 60}");
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
            String retryToken = retry.json().get("task_token").asText();
            assertThat(retryToken).isNotEqualTo(lostToken);
            WorkflowServer.Response late =
                    server.post("/api/activities/tasks/" + lostToken + "/success", "{\"n\": -1, \"late\": true}");
            assertThat(late.status()).as(late.body()).isEqualTo(409);
            assertThat(server.post("/api/activities/tasks/" + lostToken + "/heartbeat", "")
                            .status())
                    .isEqualTo(409);
            assertThat(server.post("/api/activities/tasks/" + retryToken + "/success", "{\"n\": -1}")
                            .status())
                    .isEqualTo(204);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> server.getJson("/api/executions/late-1")
                            .get("status")
                            .asText()
                            .equals("SUCCEEDED"));
            JsonNode lateHistory = server.history("late-1");
            assertThat(count(lateHistory, "TaskSucceeded")).isEqualTo(1);
            assertThat(lateHistory.findValuesAsText("error"))
                    .as("the first attempt's lease ran out")
                    .containsOnly("States.HeartbeatTimeout");
            assertThat(server.getJson("/api/executions/late-1").get("output"))
                    .isEqualTo(Distribution.JSON.readTree("{\"n\": -1}"));

            Map<Long, Integer> succeededPerItem = new HashMap<>();
            int timedOut = 0;
            for (int e = 0; e < EXECUTIONS; e++) {
                JsonNode exec = server.getJson("/api/executions/" + name(e));
                JsonNode output = exec.get("output");
                assertThat(output.size()).isEqualTo(perExecution);
                for (int i = 0; i < perExecution; i++) {
                    long n = (long) e * perExecution + i;
                    assertThat(output.get(i))
                            .as("%s item %d", name(e), i)
                            .isEqualTo(Distribution.JSON.readTree("{\"n\": " + n + ", \"double\": " + 2 * n + "}"));
                }
                Set<String> keys = new HashSet<>();
                Set<String> scheduledKeys = new HashSet<>();
                for (JsonNode ev : server.history(name(e))) {
                    String type = ev.get("type").asText();
                    if (type.equals("TaskScheduled"))
                        assertThat(scheduledKeys.add(ev.get("taskKey").asText()))
                                .as("%s scheduled %s twice", name(e), ev.get("taskKey"))
                                .isTrue();
                    if (type.equals("TaskTimedOut")) timedOut++;
                    if (!type.equals("TaskSucceeded")) continue;
                    assertThat(keys.add(ev.get("taskKey").asText()))
                            .as("%s: TaskSucceeded twice for %s", name(e), ev.get("taskKey"))
                            .isTrue();
                    succeededPerItem.merge(ev.get("output").get("n").asLong(), 1, Integer::sum);
                }
            }
            assertThat(succeededPerItem).as("items with a TaskSucceeded").hasSize(TASKS);
            assertThat(succeededPerItem.values()).as("TaskSucceeded per item").containsOnly(1);

            Map<Long, Integer> takenPerItem = new HashMap<>();
            for (int w = 0; w < WORKERS; w++)
                for (String line : Files.readAllLines(dir.resolve("worker" + w + ".log"))) {
                    String[] f = line.split(" ");
                    if (f[1].equals("204")) takenPerItem.merge(Long.parseLong(f[0]), 1, Integer::sum);
                    else assertThat(f[1]).as("worker answer: %s", line).isEqualTo("409");
                }
            assertThat(takenPerItem.values()).as("answers taken per item").containsOnly(1);
            System.out.printf(
                    "ActivityQueueCrashIT: %d tasks queued at once after %.1f s, %d workers: killed %.1f s later"
                            + " (%d of %d executions ended), all done %.1f s later; %d attempts timed out while the"
                            + " server was down%n",
                    TASKS,
                    (queuedAt - began) / 1e9,
                    WORKERS,
                    (killedAt - queuedAt) / 1e9,
                    finishedBeforeKill,
                    EXECUTIONS,
                    (ended - killedAt) / 1e9,
                    timedOut);
        }
    }

    private static String name(int execution) {
        return "crash-" + execution;
    }

    /** The execution's input: items {@code {"n": N}} for its share of the task numbers. */
    private static String items(int execution, int perExecution) {
        StringBuilder b = new StringBuilder("{\"items\": [");
        for (int i = 0; i < perExecution; i++) {
            if (i > 0) b.append(',');
            b.append("{\"n\": ").append((long) execution * perExecution + i).append('}');
        }
        return b.append("]}").toString();
    }

    private static int count(JsonNode history, String type) {
        int n = 0;
        for (JsonNode ev : history) if (ev.get("type").asText().equals(type)) n++;
        return n;
    }

    /** A worker process on the test classes and the distribution's libraries (Jackson). */
    private Process startWorker(WorkflowServer server, int w) throws Exception {
        Path classes = Path.of(ActivityCrashWorker.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        classes + java.io.File.pathSeparator
                                + Distribution.home().resolve("lib").toAbsolutePath() + "/*",
                        ActivityCrashWorker.class.getName(),
                        server.url(),
                        "crash-work",
                        "worker-" + w,
                        dir.resolve("worker" + w + ".log").toString())
                .redirectOutput(dir.resolve("worker" + w + ".out").toFile())
                .redirectError(dir.resolve("worker" + w + ".err").toFile());
        pb.environment().put("DATAFLARE_TOKEN", WorkflowServer.TOKEN);
        return pb.start();
    }
}
