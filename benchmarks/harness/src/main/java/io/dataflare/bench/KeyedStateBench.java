package io.dataflare.bench;

import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import io.dataflare.engine.state.keyed.DirectorySnapshotFiles;
import io.dataflare.engine.state.keyed.HeapKeyedStore;
import io.dataflare.engine.state.keyed.KeyedStateAccess;
import io.dataflare.engine.state.keyed.KeyedStore;
import io.dataflare.engine.state.keyed.RocksKeyedStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Keyed state backends side by side: puts and gets per second through the state API for {@code keys} keys (a
 * Long per String key, as a running count), then a full checkpoint, then 1% of the keys changed and a second
 * checkpoint: its duration and the bytes it wrote, against the first's; and the heap in use once the keys are in. Run:
 * {@code java -cp 'benchmarks/harness/target/bench/lib/*' io.dataflare.bench.KeyedStateBench [keys]}.
 */
public final class KeyedStateBench {
    private KeyedStateBench() {}

    public static void main(String[] args) throws IOException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path tmp = Files.createTempDirectory("dataflare-state-bench-");
        try {
            System.out.printf(
                    "%-8s %12s %10s %12s %12s %14s %12s %14s %8s%n",
                    "backend", "puts/s", "heap MB", "gets/s", "cp1 ms", "cp1 bytes", "cp2 ms", "cp2 bytes", "cp2/cp1");
            row("memory", new HeapKeyedStore(), keys, tmp.resolve("memory"));
            row("rocksdb", new RocksKeyedStore(tmp.resolve("rocksdb-work")), keys, tmp.resolve("rocksdb"));
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void row(String name, KeyedStore store, int keys, Path snapshots) {
        try (store) {
            ValueState<Long> counts = new KeyedStateAccess(store, Clock.systemUTC()).value("count", StateType.longs());
            long t0 = System.nanoTime();
            for (int i = 0; i < keys; i++) counts.put("key-" + i, (long) i);
            double putsPerSec = keys / seconds(t0);
            double heapMb = usedHeap() / 1e6;

            SplittableRandom random = new SplittableRandom(7);
            long sum = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < keys; i++) sum += counts.get("key-" + random.nextInt(keys));
            double getsPerSec = keys / seconds(t0);
            if (sum < 0) throw new IllegalStateException("impossible: " + sum);

            DirectorySnapshotFiles files = new DirectorySnapshotFiles(snapshots);
            t0 = System.nanoTime();
            store.snapshot(files, "s/0/", 1);
            double cp1 = seconds(t0) * 1000;
            long cp1Bytes = bytes(files, Set.of());

            for (int i = 0; i < keys; i += 100) counts.put("key-" + i, -1L); // 1% of the keys
            Set<String> before = files.list();
            t0 = System.nanoTime();
            List<String> second = store.snapshot(files, "s/0/", 2);
            double cp2 = seconds(t0) * 1000;
            long cp2Bytes = bytes(files, before);
            if (second.isEmpty()) throw new IllegalStateException("empty snapshot");
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %,12.0f %,10.0f %,12.0f %,12.0f %,14d %,12.0f %,14d %7.2f%%%n",
                    name,
                    putsPerSec,
                    heapMb,
                    getsPerSec,
                    cp1,
                    cp1Bytes,
                    cp2,
                    cp2Bytes,
                    100.0 * cp2Bytes / cp1Bytes);
        }
    }

    /** The bytes of the files not in {@code before}: what a checkpoint wrote. */
    private static long bytes(DirectorySnapshotFiles files, Set<String> before) {
        return files.list().stream()
                .filter(n -> !before.contains(n))
                .mapToLong(files::size)
                .sum();
    }

    /** The heap in use after a full collection (the state held, plus this harness's little). */
    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
