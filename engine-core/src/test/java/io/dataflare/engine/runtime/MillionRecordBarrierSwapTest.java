package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test for hot swap of sources, sinks and policies under load: 1,000,000 records from a source,
 * through a processor of two instances fed by a key router, into a file sink; the source, the sink and the
 * router each switch versions while the pipeline streams, then all three at once. Every record is in the file
 * exactly once and in order (the router sends every key to one instance, and the barrier drains one before the
 * other gets anything, so even the global order holds), and each stamp changes exactly at its switches. Prints
 * the pauses at the barrier (figures; the assertion only bounds them loosely).
 */
@Timeout(180)
class MillionRecordBarrierSwapTest {
    private static final int RECORDS = 1_000_000;

    @TempDir
    Path dir;

    @TempDir
    Path outDir;

    @Test
    void everyRecordOnceInOrderAcrossSourceSinkAndRouterSwitches() throws Exception {
        Path file = outDir.resolve("out.txt");
        List<PluginEvent> switches = new CopyOnWriteArrayList<>();
        List<PluginEvent> rejected = new CopyOnWriteArrayList<>();
        KindJars.source(dir.resolve("seqs.jar"), "1.0.0", "1.0.0");
        KindJars.sink(dir.resolve("lines.jar"), "1.0.0", "1.0.0");
        KindJars.router(dir.resolve("router.jar"), "1.0.0", "0 (1.0.0)");
        InProcessPlugins inProcess = new InProcessPlugins().add(new BarrierSwapTest.InstanceTag());
        try (Engine engine = TestEngines.withFolder(dir, inProcess, false)) {
            engine.plugins().addListener(e -> {
                if (e.kind() == PluginEvent.Kind.SWITCHED) switches.add(e);
                if (e.kind() == PluginEvent.Kind.SWITCH_REJECTED) rejected.add(e);
            });
            engine.plugins().scan();
            PipelineRun run = engine.start(TestEngines.plan(engine, """
                    sources: { in: { use: "stamped-seq@^1", with: { count: %d } } }
                    processors:
                      p: { use: tag-instance, from: in, parallelism: 2, routing: { key: key, strategy: "stamped-router@^1" } }
                    sinks: { out: { use: "line-file@^1", from: p, with: { path: %s, delay_ms: 1 } } }
                    runtime: { batch_size: 500, queue_batches: 4 }
                    """.formatted(RECORDS, file)));
            long t0 = System.nanoTime();
            List<Runnable> steps = List.of(
                    () -> write(() -> KindJars.source(dir.resolve("seqs-1.1.jar"), "1.1.0", "1.1.0")),
                    () -> write(() -> KindJars.sink(dir.resolve("lines-1.1.jar"), "1.1.0", "1.1.0")),
                    () -> write(() -> KindJars.router(dir.resolve("router-1.1.jar"), "1.1.0", "1 (1.1.0)")),
                    () -> write(() -> {
                        KindJars.source(dir.resolve("seqs-1.2.jar"), "1.2.0", "1.2.0");
                        KindJars.sink(dir.resolve("lines-1.2.jar"), "1.2.0", "1.2.0");
                        KindJars.router(dir.resolve("router-1.2.jar"), "1.2.0", "0 (1.2.0)");
                    }));
            int[] expected = {1, 2, 3, 6};
            for (int k = 0; k < steps.size(); k++) {
                long threshold = (k + 1L) * RECORDS / 6;
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> run.stats().recordsOut() >= threshold);
                steps.get(k).run();
                engine.plugins().scan();
                int n = expected[k];
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> switches.size() >= n || !rejected.isEmpty());
                assertThat(rejected).isEmpty();
            }
            PipelineResult r = run.await(Duration.ofSeconds(120));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.COMPLETED);
            assertThat(r.switches()).hasSize(6);
            run.close();

            Map<String, List<String>> stamps = new HashMap<>();
            long id = 0;
            try (BufferedReader in = Files.newBufferedReader(file)) {
                for (String line = in.readLine(); line != null; line = in.readLine(), id++) {
                    String[] f = line.split(",");
                    assertThat(f).as("line %d: %s", id, line).hasSize(4);
                    assertThat(Long.parseLong(f[0])).as("line %d", id).isEqualTo(id);
                    seen(stamps, "sink", f[1]);
                    seen(stamps, "source", f[2]);
                    seen(stamps, "instance", f[3]);
                }
            }
            assertThat(id).isEqualTo(RECORDS);
            assertThat(stamps.get("source")).containsExactly("src=1.0.0", "src=1.1.0", "src=1.2.0");
            assertThat(stamps.get("sink")).containsExactly("1.0.0", "1.1.0", "1.2.0");
            assertThat(stamps.get("instance")).containsExactly("inst=0", "inst=1", "inst=0");

            List<String> pauses = new ArrayList<>();
            for (SwitchResult s : r.switches()) {
                assertThat(s.maxPauseNanos())
                        .isPositive()
                        .isLessThan(Duration.ofSeconds(5).toNanos());
                pauses.add(String.format(Locale.ROOT, "%s %.1f ms", s.kind(), s.maxPauseMillis()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "barrier swap under load: %d records in %.2f s (%.0f records/s), %d switches, pauses at the"
                            + " barrier: %s%n",
                    RECORDS,
                    seconds,
                    RECORDS / seconds,
                    r.switches().size(),
                    pauses);
        }
    }

    /** Adds {@code value} to the values of {@code what} seen in order, unless it repeats the last one. */
    private static void seen(Map<String, List<String>> stamps, String what, String value) {
        List<String> l = stamps.computeIfAbsent(what, k -> new ArrayList<>());
        if (l.isEmpty() || !l.get(l.size() - 1).equals(value)) l.add(value);
    }

    private interface Write {
        void run() throws Exception;
    }

    private static void write(Write w) {
        try {
            w.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
