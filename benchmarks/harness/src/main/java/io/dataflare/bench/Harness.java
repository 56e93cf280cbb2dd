package io.dataflare.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs every row over the same input: one warm-up round, then {@code rounds} measured rounds, each
 * round running all rows in a rotated order so that no row always runs first or last, each timed once the
 * JVMs of the run are idle ({@link QuietMachine}): the figures are ratios within one run on one machine.
 */
final class Harness {
    private final List<Row> rows;
    private final int rounds;
    private final long warmUpNanos;
    private final Duration quietPatience;
    private final Consumer<String> log;

    /**
     * @param warmUpSeconds in the warm-up round each row runs again until it has run this long (times its
     *                      {@link Row#warmUpFactor()}) and at least {@link Row#minWarmUpRuns()} times, so that
     *                      JIT compilers (HotSpot's, Graal's for scripts, Chicory's generated code) are done
     */
    Harness(List<Row> rows, int rounds, long warmUpSeconds, Consumer<String> log) {
        this.rows = rows;
        this.rounds = rounds;
        this.warmUpNanos = warmUpSeconds * 1_000_000_000L;
        // long enough for Graal to finish the script code a row queued, on two cores; short for a smoke run (no
        // warm-up), and bounded, since a machine busy with something else would hold the run up for ever
        this.quietPatience = Duration.ofSeconds(Math.min(30, 2 + 2 * warmUpSeconds));
        this.log = log;
    }

    Map<String, Measurement> run(Path input, Path work) throws Exception {
        Map<String, Measurement> results = new LinkedHashMap<>();
        List<Row> runnable = new ArrayList<>();
        for (Row r : rows) {
            String why = r.unavailable();
            results.put(r.name(), new Measurement(r.name(), why));
            if (why == null) runnable.add(r);
            else log.accept("skipping " + r.name() + ": " + why);
        }
        for (int round = 0; round <= rounds; round++) {
            boolean warmUp = round == 0;
            log.accept(warmUp ? "warm-up round" : "round " + round + " of " + rounds);
            for (int i = 0; i < runnable.size(); i++) {
                Row r = runnable.get((i + round) % runnable.size());
                Path out = Files.createDirectories(work.resolve("out-" + r.name()));
                long warmedFor = 0;
                int runs = 0;
                do {
                    r.prepare();
                    System.gc();
                    if (!warmUp) awaitQuietMachine(runnable);
                    resetHeapPeak();
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    long n = r.run(input, out);
                    long nanos = System.nanoTime() - t0;
                    long cpu = r.cpuNanos(processCpuNanos() - c0);
                    // gone before the next row runs: the kernel never writes its pages back while another is timed
                    clean(out);
                    warmedFor += nanos;
                    runs++;
                    if (!warmUp) results.get(r.name()).add(n, nanos, r.heapPeak(heapPeak()));
                    log.accept(String.format(
                            "  %-26s %,12.0f records/s  %4.2f cores  %,6.0f CPU ns/record",
                            r.name(), n / (nanos / 1e9), cpu / (double) nanos, cpu / (double) Math.max(n, 1)));
                } while (warmUp
                        && warmUpNanos > 0
                        && (warmedFor < warmUpNanos * r.warmUpFactor() || runs < r.minWarmUpRuns()));
            }
        }
        return results;
    }

    private void awaitQuietMachine(List<Row> rows) throws InterruptedException {
        List<ProcessHandle> jvms = new ArrayList<>();
        jvms.add(ProcessHandle.current());
        for (Row r : rows) {
            ProcessHandle p = r.process();
            if (p != null && p.isAlive()) jvms.add(p);
        }
        Duration waited = new QuietMachine(jvms, quietPatience).await();
        if (waited.compareTo(quietPatience) >= 0)
            log.accept("  (timed although the JVMs were still busy after " + quietPatience.toSeconds() + " s)");
    }

    private static void clean(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void resetHeapPeak() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
