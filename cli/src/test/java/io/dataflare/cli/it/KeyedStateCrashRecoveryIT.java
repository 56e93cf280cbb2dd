package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once keyed state end to end: a JavaScript processor keeps a running count and sum per key in
 * {@code ctx.state} (two instances, routed by key) over 500,000 CSV rows; the packaged distribution is killed
 * with SIGKILL at random moments four times and resumed. The output equals an uninterrupted run's exactly:
 * a resumed run continues with the state of the checkpoint it resumes from, so no count is lost or doubled.
 */
class KeyedStateCrashRecoveryIT {
    private static final int RECORDS = 500_000;
    private static final int KEYS = 1_000;
    private static final String SCRIPT = """
            export const manifest = {
              id: 'running-sum', version: '1.0.0', kind: 'processor', requires: '^1.0',
              description: 'running count and sum per key', capabilities: ['state'],
            };
            export function process(batch, ctx) {
              const out = [];
              for (const r of batch) {
                const s = ctx.state.get(r.key, { n: 0, sum: 0 });
                s.n += 1;
                s.sum += r.amount;
                ctx.state.set(r.key, s);
                out.push({ id: r.id, key: r.key, n: s.n, sum: s.sum });
              }
              return out;
            }
            """;

    @TempDir
    Path dir;

    private Path setUp(Path base) throws Exception {
        Files.createDirectories(base.resolve("plugins"));
        Files.writeString(base.resolve("plugins/running_sum.js"), SCRIPT);
        try (BufferedWriter w = Files.newBufferedWriter(base.resolve("in.csv"), StandardCharsets.UTF_8)) {
            w.write("id,key,amount\n");
            Random r = new Random(42);
            for (int id = 0; id < RECORDS; id++) w.write(id + ",k" + r.nextInt(KEYS) + "," + r.nextInt(100) + "\n");
        }
        return Files.writeString(base.resolve("sums.yaml"), """
                name: sums
                sources:
                  in: { use: csv-file, with: { path: in.csv, schema: { id: long, key: string, amount: long } } }
                processors:
                  sum: { use: running-sum@^1, from: in, parallelism: 2, routing: { key: key } }
                sinks:
                  out: { use: jsonl-file, from: sum, with: { path: out/sums.jsonl } }
                runtime: { batch_size: 500, checkpoint_interval_ms: 100 }
                """);
    }

    private static Distribution.Cli run(Path base, Path pipeline) throws Exception {
        return Distribution.childJvm(
                List.of(),
                "run",
                pipeline.toString(),
                "--plugins",
                base.resolve("plugins").toString(),
                "--state-dir",
                base.resolve("state").toString(),
                "--json");
    }

    /** The output lines sorted: the two instances interleave their batches differently from run to run. */
    private static List<String> sortedOutput(Path base) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(base.resolve("out/sums.jsonl")));
        Collections.sort(lines);
        return lines;
    }

    @Test
    void killedAtRandomMomentsTheRunningSumsEqualAnUninterruptedRun() throws Exception {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        Path cleanPipeline = setUp(clean);
        Distribution.Cli reference = run(clean, cleanPipeline);
        assertThat(reference.exit()).as(reference.err()).isZero();

        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        Path pipeline = setUp(crashed);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path out = crashed.resolve("out/sums.jsonl");
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            Process p = Distribution.startChild(
                    List.of(),
                    crashed.resolve("run" + attempt + ".out"),
                    crashed.resolve("run" + attempt + ".err"),
                    "run",
                    pipeline.toString(),
                    "--plugins",
                    crashed.resolve("plugins").toString(),
                    "--state-dir",
                    crashed.resolve("state").toString(),
                    "--json");
            long before = Files.exists(out) ? Files.size(out) : 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // kill while the run is writing: after it wrote something new, at a random moment
            while (p.isAlive() && (!Files.exists(out) || Files.size(out) <= before) && System.nanoTime() < deadline)
                Thread.sleep(20);
            Thread.sleep(100 + random.nextInt(900));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                kills++;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(kills).as("seed %d: runs were killed mid-way", seed).isGreaterThanOrEqualTo(3);

        Distribution.Cli last = run(crashed, pipeline);
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        List<String> expected = sortedOutput(clean);
        assertThat(expected).hasSize(RECORDS);
        List<String> actual = sortedOutput(crashed);
        assertThat(actual.size()).as("seed %d: records in the output", seed).isEqualTo(RECORDS);
        assertThat(actual.equals(expected))
                .as("seed %d: the output equals the uninterrupted run's", seed)
                .isTrue();
    }
}
