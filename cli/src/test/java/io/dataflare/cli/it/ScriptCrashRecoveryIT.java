package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JavaScript source and a Python sink (the SDK examples {@code counter} and {@code jsonl-sink}, dropped into a
 * plugins folder) run by the packaged distribution, killed with SIGKILL mid-run after a checkpoint, and resumed:
 * the source seeks to the checkpointed position, the sink cuts its file back to the checkpointed length, and in
 * the end the output holds every id from 1 to N exactly once, in order. The scripts' time limits are raised: on a
 * loaded machine a call can take longer than the default second, and this test is about crashes, not time limits.
 */
class ScriptCrashRecoveryIT {
    private static final Path SDK = Path.of("..", "sdk-examples", "scripts");

    @TempDir
    Path dir;

    @Test
    void killedMidRunAndResumedEveryRecordIsWrittenExactlyOnceInOrder() throws Exception {
        killResumeAndCheck(30_000, 100, 3, 150);
    }

    /**
     * Killed before any checkpoint was saved (the interval is longer than the run is given): the next run does
     * not resume, so the sink starts its file anew instead of appending to what the killed run wrote. Enough
     * records that a fast machine is still writing them a few hundred milliseconds after the first.
     */
    @Test
    void killedBeforeTheFirstCheckpointTheNextRunRewritesTheFile() throws Exception {
        killResumeAndCheck(300_000, 600_000, 1, 0);
    }

    /**
     * Runs the pipeline until {@code kills} runs were SIGKILLed (at most {@code kills + 2} runs, at least one killed: a run may end before
     * it is killed), each killed at least {@code minDelayMs} after its sink first wrote, then once to its end.
     */
    private void killResumeAndCheck(int records, long checkpointIntervalMs, int kills, int minDelayMs)
            throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(SDK.resolve("javascript-source/plugin/counter.js"), plugins.resolve("counter.js"));
        Files.copy(SDK.resolve("python-sink/plugin/jsonl_sink.py"), plugins.resolve("jsonl_sink.py"));
        Path pipeline = Files.writeString(dir.resolve("scripts.yaml"), """
                name: scripts
                sources:
                  in: { use: counter@^1, with: { count: %d, timeout_ms: 30000 } }
                sinks:
                  out:
                    use: jsonl-sink@^1
                    from: in
                    with: { path: out/records.jsonl, timeout_ms: 30000 }
                    grants: [file:write:out/*]
                runtime: { batch_size: 250, checkpoint_interval_ms: %d }
                """.formatted(records, checkpointIntervalMs));
        Path out = dir.resolve("out/records.jsonl");
        String state = dir.resolve("state").toString();
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int killed = 0;
        for (int run = 0; killed < kills && run < kills + 2; run++) {
            Process p = Distribution.startChild(
                    List.of(),
                    dir.resolve("run" + run + ".out"),
                    dir.resolve("run" + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--plugins",
                    plugins.toString(),
                    "--state-dir",
                    state,
                    "--json");
            long before = Files.exists(out) ? Files.size(out) : 0;
            // kill once the sink is writing (Python takes seconds to start), a little after a checkpoint; a run
            // that starts the file anew writes it shorter first, so any change of size means it writes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (p.isAlive() && (!Files.exists(out) || Files.size(out) == before) && System.nanoTime() < deadline)
                Thread.sleep(20);
            Thread.sleep(minDelayMs + random.nextInt(300));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                killed++;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(killed).as("seed %d: runs killed mid-way", seed).isGreaterThan(0);

        Distribution.Cli last = Distribution.childJvm(
                List.of(), "run", pipeline.toString(), "--plugins", plugins.toString(), "--state-dir", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");

        List<String> lines = Files.readAllLines(out);
        assertThat(lines).as("seed %d: records in the output", seed).hasSize(records);
        for (int i = 0; i < records; i++) {
            long id = Distribution.JSON.readTree(lines.get(i)).get("id").asLong();
            assertThat(id).as("seed %d: line %d", seed, i + 1).isEqualTo(i + 1);
        }
    }
}
