package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/stock-indicators.yaml} (JavaScript processor, checkpoints every 100 ms) killed with SIGKILL at
 * random moments and resumed each time: in the end every per-stock file must be the reference's, as after an
 * uninterrupted run. That needs the indicator's history (its {@code ctx.state}) checkpointed with the source
 * positions: with state lost at the kill, rows after the resume point would lack the ma5/ma10/rsi14 they have.
 */
class StockIndicatorsCrashIT {
    private static final int TICKS = 200_000;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsAndResumedTheFilesAreThoseOfAnUninterruptedRun() throws Exception {
        Path ticks = dir.resolve("ticks.csv");
        StockTicks.write(ticks, TICKS, 50, 23);
        String yaml = StockExample.withVars(
                Files.readString(StockExample.EXAMPLES.resolve("stock-indicators.yaml")),
                Map.of(
                        "TICKS", ticks.toAbsolutePath().toString(),
                        "INDICATORS", StockExample.JS.toAbsolutePath().toString()));
        assertThat(yaml).doesNotContain("runtime:");
        Path pipeline = Files.writeString(
                dir.resolve("stock-indicators.yaml"),
                yaml + "\nruntime: { batch_size: 500, checkpoint_interval_ms: 100 }\n");
        Path out = dir.resolve("out/indicators");
        String state = dir.resolve("state").toString();
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int kills = 0;
        for (int run = 0; run < 4; run++) {
            Process p = Distribution.startChild(
                    List.of(),
                    dir.resolve("run" + run + ".out"),
                    dir.resolve("run" + run + ".err"),
                    "run",
                    pipeline.toString(),
                    "--state-dir",
                    state,
                    "--json");
            // kill once the run is writing (past the JVM and GraalJS start), at a random moment
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (p.isAlive() && !writing(out) && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(100 + random.nextInt(1500));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                kills++;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(kills).as("seed %d: runs were killed mid-way", seed).isGreaterThan(0);

        Distribution.Cli last =
                Distribution.childJvm(List.of(), "run", pipeline.toString(), "--state-dir", state, "--json");
        assertThat(last.exit()).as("seed %d: %s", seed, last.err()).isZero();
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        StockExample.assertSameAsReference(ticks, out, "seed " + seed + ", after " + kills + " kills");
    }

    private static boolean writing(Path out) throws Exception {
        if (!Files.isDirectory(out)) return false;
        try (Stream<Path> files = Files.list(out)) {
            return files.anyMatch(f -> f.toFile().length() > 0);
        }
    }
}
