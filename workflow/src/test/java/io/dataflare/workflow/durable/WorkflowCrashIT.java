package io.dataflare.workflow.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.engine.state.FileStateStore;
import io.dataflare.workflow.interpreter.ExecutionState;
import io.dataflare.workflow.interpreter.ExecutionStatus;
import io.dataflare.workflow.interpreter.HistoryEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 executions of a Map + Parallel + Wait + retried-task workflow, their process killed with SIGKILL 10 times
 * at random moments spread over the work and started again: every execution ends SUCCEEDED with the right output, and folding each
 * stored history gives the stored snapshot. It takes about two minutes, so it runs under failsafe ({@code mvn verify
 * -Dit.test=WorkflowCrashIT}), which sets {@code workflow.crash.it}, and is skipped when a {@code -Dtest} pattern
 * hands it to surefire.
 */
class WorkflowCrashIT {
    static final int EXECUTIONS = 200;
    static final int KILLS = 10;
    /** Task calls a run without kills makes: three Map items and the flaky task's two attempts per execution. */
    static final int TASK_CALLS = EXECUTIONS * 5;

    @TempDir
    Path dir;

    private Process worker(Path state, Path markers, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWorker.class.getName(),
                        state.toString(),
                        markers.toString(),
                        Integer.toString(EXECUTIONS),
                        "10")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static long taskCalls(Path markers) throws IOException {
        if (!Files.exists(markers)) return 0;
        long lines = 0;
        for (byte b : Files.readAllBytes(markers)) if (b == '\n') lines++;
        return lines;
    }

    @Test
    void everyExecutionSurvivesTenKills() throws Exception {
        assumeTrue(Boolean.getBoolean("workflow.crash.it"), "a failsafe integration test (mvn verify)");
        Path state = dir.resolve("state");
        Path markers = dir.resolve("markers.txt");
        Path log = dir.resolve("worker.log");
        Random random = new Random();
        List<Integer> finishedAfterKill = new ArrayList<>();
        List<Integer> cutMidway = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Process p = worker(state, markers, log);
            // kill at a random moment inside the k-th slice of the work (measured by task calls made, not by
            // time, so that a fast machine cannot finish everything before the last kill)
            int slice = TASK_CALLS / (KILLS + 2);
            long target = (long) (k + 1) * slice + random.nextInt(slice / 2);
            while (p.isAlive() && taskCalls(markers) < target) Thread.sleep(2);
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL on Linux
                p.waitFor();
            }
            try (FileStateStore store = new FileStateStore(state)) {
                Map<String, ExecutionStatus> statuses = new StoreHistory(store).statuses();
                finishedAfterKill.add((int) statuses.values().stream()
                        .filter(ExecutionStatus::finished)
                        .count());
                cutMidway.add((int)
                        statuses.values().stream().filter(st -> !st.finished()).count());
            }
        }
        Process last = worker(state, markers, log);
        assertThat(last.waitFor(240, TimeUnit.SECONDS))
                .as("the last run ends; its log: %s", log)
                .isTrue();
        assertThat(last.exitValue()).as(Files.readString(log)).isZero();
        // the kills hit work in progress: executions were left started and unfinished, and the last run still
        // had some to do
        assertThat(cutMidway).anySatisfy(n -> assertThat(n).isPositive());
        assertThat(finishedAfterKill.get(KILLS - 1)).isPositive().isLessThan(EXECUTIONS);

        try (FileStateStore store = new FileStateStore(state)) {
            StoreHistory history = new StoreHistory(store);
            Map<String, ExecutionStatus> statuses = history.statuses();
            assertThat(statuses).hasSize(EXECUTIONS);
            for (int i = 0; i < EXECUTIONS; i++) {
                String name = CrashWorkflow.name(i);
                List<HistoryEvent> events = history.read(name);
                for (int s = 0; s < events.size(); s++)
                    assertThat(events.get(s).sequence()).isEqualTo(s + 1);
                ExecutionState folded = ExecutionState.fold(events);
                assertThat(folded.status()).as(name).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(folded.output()).as(name).isEqualTo(CrashWorkflow.expectedOutput(i));
                assertThat(history.snapshot(name)).as(name).contains(folded);
                assertThat(history.state(name)).isEqualTo(folded);
                assertThat(statuses.get(name)).isEqualTo(ExecutionStatus.SUCCEEDED);
            }
            assertThat(history.timers()).isEmpty();
            assertThat(history.pendingTasks()).isEmpty();
        }
        // every task attempt of every execution was called under its key (re-runs after a kill reuse it)
        List<String> keys = Files.readAllLines(markers);
        for (int i = 0; i < EXECUTIONS; i++) {
            String prefix = CrashWorkflow.name(i) + ":";
            assertThat(keys.stream().filter(key -> key.startsWith(prefix)).distinct())
                    .as(CrashWorkflow.name(i))
                    .hasSize(5); // three Map items, the flaky task's two attempts
        }
        System.out.println("after each kill, executions finished: " + finishedAfterKill + ", unfinished: " + cutMidway);
    }
}
