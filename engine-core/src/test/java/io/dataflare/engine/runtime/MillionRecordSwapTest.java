package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test for hot reload under load: 1,000,000 records through a processor whose plugin
 * file is replaced by a new version four times while the pipeline streams (two parallel instances).
 * Every record reaches the sink exactly once, every record after a switch carries the new version's
 * stamp, and the class loaders of the replaced versions are collected. Prints the switch pauses and
 * the throughput (figures, not assertions).
 */
@Timeout(120)
class MillionRecordSwapTest {
    private static final int RECORDS = 1_000_000;
    private static final String[] VERSIONS = {"1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"};
    private static final long THROTTLE_NANOS_PER_BATCH = Long.getLong("swaptest.throttle.ns", 500_000);
    private static final Pattern PAUSE = Pattern.compile("longest pause ([0-9.]+) us");

    @TempDir
    Path dir;

    /** Sink checking every record as it arrives: duplicates, and the version rank in arrival order. */
    private final List<Double> reloadMillis = new ArrayList<>();

    private static final class Checker implements SinkFactory {
        final BitSet seen = new BitSet(RECORDS);
        final byte[] rankByArrival = new byte[RECORDS];
        final AtomicInteger arrived = new AtomicInteger();
        long duplicates;
        long maxGapNanos;
        long lastBatchNanos;

        @Override
        public String name() {
            return "checker";
        }

        @Override
        public Sink create(PluginContext context) {
            return (batch, rejections) -> {
                long now = System.nanoTime();
                if (lastBatchNanos != 0) maxGapNanos = Math.max(maxGapNanos, now - lastBatchNanos);
                lastBatchNanos = now;
                int n = arrived.get();
                for (Record r : batch) {
                    int id = (int) (long) (Long) r.get("id");
                    if (seen.get(id)) duplicates++;
                    seen.set(id);
                    rankByArrival[n++] = (byte) rank((String) r.get("v"));
                }
                arrived.set(n);
                // at most ~1M records/s, so four reloads (~50 ms each) surely land inside the stream on a busy machine
                java.util.concurrent.locks.LockSupport.parkNanos(THROTTLE_NANOS_PER_BATCH);
            };
        }
    }

    private static int rank(String v) {
        for (int i = 0; i < VERSIONS.length; i++) {
            if (VERSIONS[i].equals(v)) return i;
        }
        throw new AssertionError("unknown stamp " + v);
    }

    @Test
    void everyRecordExactlyOnceAcrossFourSwitchesAndOldLoadersCollected() throws Exception {
        Checker checker = new Checker();
        Path jar = Fixtures.stamp(dir.resolve("stamp.jar"), VERSIONS[0]);
        List<PluginEvent> switches = new CopyOnWriteArrayList<>();
        List<WeakReference<ClassLoader>> oldLoaders = new ArrayList<>();
        List<Integer> boundaries = new ArrayList<>();
        try (Engine engine = TestEngines.withFolder(dir, new InProcessPlugins().add(checker), false)) {
            engine.plugins().addListener(e -> {
                if (e.kind() == PluginEvent.Kind.SWITCHED) switches.add(e);
            });
            PipelineRun run = engine.start(TestEngines.plan(engine, """
                    sources: { in: { use: seq, with: { count: %d } } }
                    processors: { p: { use: "stamp@^1", from: in, parallelism: 2 } }
                    sinks: { out: { use: checker, from: p } }
                    runtime: { batch_size: 500, queue_batches: 4 }
                    """.formatted(RECORDS)));
            long t0 = System.nanoTime();
            for (int v = 1; v < VERSIONS.length; v++) {
                int threshold = v * RECORDS / 6;
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> checker.arrived.get() >= threshold);
                oldLoaders.add(loaderOf(engine));
                Fixtures.stamp(jar, VERSIONS[v]); // replaced in place: the old version is retired
                long s0 = System.nanoTime();
                engine.plugins().scan();
                int expected = v;
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> switches.size() >= expected);
                reloadMillis.add((System.nanoTime() - s0) / 1e6);
                boundaries.add(checker.arrived.get());
            }
            PipelineResult r = run.await(Duration.ofSeconds(90));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);

            assertThat(checker.duplicates).isZero();
            assertThat(checker.seen.cardinality()).isEqualTo(RECORDS);
            assertThat(checker.arrived.get()).isEqualTo(RECORDS);
            assertThat(r.stats().recordsOut()).isEqualTo(RECORDS);
            // Batches the old version processed before the switch may still be queued for the sink: at most the
            // sink's queue (4 batches), the one it writes and one per processor instance blocked on sending.
            int inFlight = (4 + 1 + 2) * 500;
            for (int k = 0; k < boundaries.size(); k++) {
                int rankAfter = k + 1;
                for (int i = boundaries.get(k) + inFlight; i < RECORDS; i++) {
                    assertThat((int) checker.rankByArrival[i])
                            .as("record #%d after switch %d", i, rankAfter)
                            .isGreaterThanOrEqualTo(rankAfter);
                }
            }
            assertThat((int) checker.rankByArrival[RECORDS - 1]).isEqualTo(VERSIONS.length - 1);
            run.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                return oldLoaders.stream().allMatch(w -> w.get() == null);
            });

            List<Double> pauses = new ArrayList<>();
            for (PluginEvent e : switches) {
                Matcher m = PAUSE.matcher(e.detail());
                if (m.find()) pauses.add(Double.parseDouble(m.group(1)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "hot reload under load: %d records in %.2f s (%.0f records/s), %d switches, "
                            + "longest switch pause of an instance (us): %s, rescan-to-switched (ms): %s, longest sink-side gap between batches: %.1f ms%n",
                    RECORDS,
                    seconds,
                    RECORDS / seconds,
                    switches.size(),
                    pauses,
                    reloadMillis.stream()
                            .map(d -> String.format(Locale.ROOT, "%.1f", d))
                            .toList(),
                    checker.maxGapNanos / 1e6);
        }
    }

    private WeakReference<ClassLoader> loaderOf(Engine engine) throws Exception {
        return new WeakReference<>(engine.plugins()
                .resolve(ComponentKind.PROCESSOR, PluginReference.parse("stamp"), dir)
                .factory()
                .getClass()
                .getClassLoader());
    }
}
