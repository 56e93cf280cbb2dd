package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that could step on each other's state, on the packaged distribution in child JVMs: different
 * pipelines sharing a state directory, and two runs of one pipeline at once, one of them SIGKILLed. Each
 * ends with every output exactly as an undisturbed run leaves it, or with a refusal that changes nothing.
 */
class RunCollisionsIT {
    private static final int COUNT = 200_000;

    @TempDir
    Path dir;

    /** A generator of {@code count} records through a deliberately slow processor into a JSON-lines file. */
    private Path pipeline(String folder, String extra, int count, String out) throws Exception {
        return pipeline(folder, extra, count, out, 10);
    }

    private Path pipeline(String folder, String extra, int count, String out, int msPerBatch) throws Exception {
        Path d = Files.createDirectories(dir.resolve(folder));
        return Files.writeString(d.resolve("pipeline.yaml"), extra + """
                sources:
                  gen: { use: generator, with: { count: %d } }
                processors:
                  slow: { use: delay, from: gen, with: { per_batch_ms: %d } }
                sinks:
                  out: { use: jsonl-file, from: slow, with: { path: %s } }
                runtime: { batch_size: 1000, checkpoint_interval_ms: 100 }
                """.formatted(count, msPerBatch, out));
    }

    private Process start(Path pipeline, String name) throws Exception {
        return Distribution.startChild(
                List.of(),
                dir.resolve(name + ".out"),
                dir.resolve(name + ".err"),
                "run",
                pipeline.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--json");
    }

    private Distribution.Cli runToEnd(Path pipeline) throws Exception {
        return Distribution.childJvm(
                List.of(),
                "run",
                pipeline.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--json");
    }

    /** Waits until a checkpoint of the run is on disk (the state directory holds one), then SIGKILLs it. */
    private void killAfterACheckpoint(Process p, Path output) throws Exception {
        Path checkpoints = dir.resolve("state/checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isDirectory(checkpoints) && Files.exists(output) && Files.size(output) > 200_000) {
                try (var files = Files.list(checkpoints)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".v"))) break;
                }
            }
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("the run was still going when killed").isTrue();
        p.destroyForcibly();
        p.waitFor();
    }

    @Test
    void twoPipelinesOfTheSameFileNameShareAStateDirectoryWithoutTouchingEachOther() throws Exception {
        Path a = pipeline("a", "", COUNT, "out.jsonl");
        Path b = pipeline("b", "", 3_000, "out.jsonl");
        killAfterACheckpoint(start(a, "a1"), dir.resolve("a/out.jsonl"));

        Distribution.Cli rb = runToEnd(b);
        assertThat(rb.exit()).as(rb.err()).isZero();
        assertThat(rb.err()).as("b does not resume a's checkpoint").doesNotContain("resuming");
        assertExactlyOnce(dir.resolve("b/out.jsonl"), 3_000);

        Distribution.Cli ra = runToEnd(a);
        assertThat(ra.exit()).as(ra.err()).isZero();
        assertThat(ra.err()).contains("resuming 'pipeline' from checkpoint");
        assertExactlyOnce(dir.resolve("a/out.jsonl"), COUNT);
    }

    @Test
    void aCheckpointOfAnotherPipelineUnderTheSameIdIsRefusedAndNothingChanges() throws Exception {
        Path a = pipeline("a", "id: shared\n", COUNT, "out.jsonl");
        Path b = pipeline("b", "id: shared\n", 3_000, "out.jsonl");
        Files.writeString(dir.resolve("b/out.jsonl"), "kept\n");
        killAfterACheckpoint(start(a, "a1"), dir.resolve("a/out.jsonl"));

        Distribution.Cli rb = runToEnd(b);
        assertThat(rb.exit()).isEqualTo(2);
        assertThat(rb.err())
                .contains("was written by pipeline 'pipeline' (" + a)
                .contains("does not fit pipeline 'pipeline' (" + b)
                .contains("--from-start");
        assertThat(Files.readString(dir.resolve("b/out.jsonl")))
                .as("the refusal changed nothing")
                .isEqualTo("kept\n");

        Distribution.Cli ra = runToEnd(a);
        assertThat(ra.exit()).as(ra.err()).isZero();
        assertExactlyOnce(dir.resolve("a/out.jsonl"), COUNT);
    }

    @Test
    void aSecondRunOfARunningPipelineIsRefusedAndAKilledRunBlocksNobody() throws Exception {
        // slow enough (10 s at least) that the first run is still going once the second JVM has started, also
        // on a loaded machine
        Path p = pipeline("p", "", COUNT, "out.jsonl", 50);
        Process first = start(p, "first");
        Path out = dir.resolve("p/out.jsonl");
        while (!Files.exists(out) || Files.size(out) == 0) Thread.sleep(50);

        Distribution.Cli second = runToEnd(p);
        assertThat(second.exit()).as("exit code for a busy state").isEqualTo(3);
        assertThat(second.err())
                .contains("in use by another run")
                .contains("process " + first.pid())
                .contains("nothing was run");

        killAfterACheckpoint(first, out);
        Distribution.Cli third = runToEnd(p);
        assertThat(third.exit()).as(third.err()).isZero();
        assertThat(third.json().get("status").asText()).isEqualTo("COMPLETED");
        assertExactlyOnce(out, COUNT);
    }

    /** Every generator id 0..count-1 once and in order (as an undisturbed run writes them), nothing else, every line whole. */
    static void assertExactlyOnce(Path file, int count) throws Exception {
        BitSet seen = new BitSet(count);
        int lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line; (line = r.readLine()) != null; lines++) {
                JsonNode n = Distribution.JSON.readTree(line);
                int id = n.get("id").asInt();
                assertThat(seen.get(id)).as("id %d twice in %s", id, file).isFalse();
                assertThat(id)
                        .as("line %d of %s: in the order an undisturbed run writes", lines + 1, file)
                        .isEqualTo(lines);
                seen.set(id);
            }
        }
        assertThat(lines).as("lines in %s", file).isEqualTo(count);
        assertThat(seen.cardinality()).isEqualTo(count);
    }
}
