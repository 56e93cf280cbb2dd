package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file -> processors -> file pipeline over 1,000,000 records, killed with SIGKILL at random moments
 * (and once in the middle of writing a checkpoint), resumed each time; in the end every input record is
 * in the output exactly once, and every rejected record in the dead-letter file exactly once.
 */
class CrashRecoveryIT {
    private static final int RECORDS = 1_000_000;
    private static final String REJECTED_KEY = "k13"; // ids with id % 50 == 13

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsEveryRecordEndsUpExactlyOnce() throws Exception {
        writeInput(dir.resolve("in.csv"));
        Path pipeline = Files.writeString(dir.resolve("crash.yaml"), """
                name: crash
                sources:
                  in: { use: csv-file, with: { path: in.csv, schema: { id: long, amount: double } } }
                processors:
                  reject: { use: fail, from: in, with: { field: key, equals: %s } }
                  double: { use: map, from: reject, parallelism: 2, with: { set: { amount2: "amount * 2" } } }
                sinks:
                  out: { use: jsonl-file, from: double, with: { path: out/records.jsonl } }
                policies:
                  errors: { on_error: dead-letter, dead_letter: { use: jsonl-file, with: { path: out/dead.jsonl } } }
                runtime: { batch_size: 1000, checkpoint_interval_ms: 100 }
                """.formatted(REJECTED_KEY));
        String state = dir.resolve("state").toString();
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int kills = 0;
        for (int run = 0; run < 6; run++) {
            List<String> jvm = run == 2
                    ? List.of("-Ddataflare.fault.halt-during-put=checkpoints:3") // dies half-way through writing a
                    // checkpoint
                    : List.of();
            Process p = Distribution.startChild(
                    jvm,
                    dir.resolve("run" + run + ".out"),
                    dir.resolve("run" + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--state-dir",
                    state,
                    "--json");
            if (run != 2) {
                Thread.sleep(400 + random.nextInt(1600));
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL
                    kills++;
                }
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            if (run == 2)
                assertThat(p.exitValue())
                        .as("halted while writing checkpoint 3")
                        .isEqualTo(137);
        }
        assertThat(kills)
                .as("seed %d: at least some runs were killed mid-way", seed)
                .isGreaterThan(1);
        assertThat(Files.readString(dir.resolve("run2.err"))).doesNotContain("Exception");

        Distribution.Cli last =
                Distribution.childJvm(List.of(), "run", pipeline.toString(), "--state-dir", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");

        BitSet expectedRejected = new BitSet();
        for (int id = 13; id < RECORDS; id += 50) expectedRejected.set(id);
        assertExactlyOnce(
                dir.resolve("out/records.jsonl"),
                RECORDS - expectedRejected.cardinality(),
                expectedRejected,
                false,
                seed);
        assertExactlyOnce(dir.resolve("out/dead.jsonl"), expectedRejected.cardinality(), expectedRejected, true, seed);
    }

    private static void writeInput(Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,key,amount,text\n");
            for (int id = 0; id < RECORDS; id++) {
                w.write(id + ",k" + (id % 50) + "," + (id % 1000) + ".25,some text for record " + id + "\n");
            }
        }
    }

    private static void assertExactlyOnce(Path file, int expected, BitSet rejected, boolean deadLetters, long seed)
            throws Exception {
        BitSet seen = new BitSet(RECORDS);
        int lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = Distribution.JSON.readTree(line);
                int id = (deadLetters ? n.get("record").get("id") : n.get("id")).asInt();
                assertThat(seen.get(id))
                        .as("seed %d: id %d twice in %s", seed, id, file.getFileName())
                        .isFalse();
                assertThat(rejected.get(id))
                        .as("seed %d: id %d in %s", seed, id, file.getFileName())
                        .isEqualTo(deadLetters);
                seen.set(id);
                lines++;
            }
        }
        assertThat(lines).as("seed %d: records in %s", seed, file.getFileName()).isEqualTo(expected);
    }
}
