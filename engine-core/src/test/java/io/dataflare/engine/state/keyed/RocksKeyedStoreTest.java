package io.dataflare.engine.state.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.state.MapState;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksKeyedStoreTest {
    @TempDir
    Path dir;

    private static ValueState<Long> counts(KeyedStore s) {
        return new KeyedStateAccess(s, Clock.systemUTC()).value("count", StateType.longs());
    }

    private static long bytes(SnapshotFiles files, List<String> names) {
        return names.stream().mapToLong(files::size).sum();
    }

    @Test
    void valuesMapsAndKeyGroupsWorkAsOnTheHeap() {
        try (RocksKeyedStore store = new RocksKeyedStore(dir.resolve("work"))) {
            KeyedStateAccess state = new KeyedStateAccess(store, Clock.systemUTC());
            MapState<String, Long> m = state.map("m", StateType.string(), StateType.longs());
            m.put("k", "a", 1L);
            m.put("k1", "a", 2L);
            assertThat(m.entries("k")).containsExactly(java.util.Map.entry("a", 1L));
            ValueState<Long> c = counts(store);
            for (int i = 0; i < 100; i++) c.put("key" + i, (long) i);
            int g = StateKeys.groupOf("key5");
            var exported = store.exportGroups(Set.of(g));
            assertThat(exported).isNotEmpty();
            store.dropGroups(Set.of(g));
            assertThat(c.get("key5")).isNull();
            store.importEntries(exported);
            assertThat(c.get("key5")).isEqualTo(5L);
        }
    }

    @Test
    void aSnapshotRestoresAndTheNextCopiesOnlyNewSstFiles() {
        DirectorySnapshotFiles files = new DirectorySnapshotFiles(dir.resolve("snapshots"));
        List<String> second;
        try (RocksKeyedStore store = new RocksKeyedStore(dir.resolve("work"))) {
            ValueState<Long> c = counts(store);
            for (int i = 0; i < 100_000; i++) c.put("key-" + i, (long) i);
            List<String> first = store.snapshot(files, "p/0/", 1);
            long firstBytes = bytes(files, first);
            for (int i = 0; i < 1_000; i++) c.put("key-" + i * 100, -1L); // 1% of the keys
            Set<String> before = files.list();
            second = store.snapshot(files, "p/0/", 2);
            long written = files.list().stream()
                    .filter(n -> !before.contains(n))
                    .mapToLong(files::size)
                    .sum();
            assertThat(second)
                    .containsAll(first.stream().filter(n -> n.endsWith(".sst")).toList());
            assertThat((double) written / firstBytes)
                    .as("written %d of %d bytes", written, firstBytes)
                    .isLessThan(0.05);
            c.put("key-1", 1000L); // after the snapshot: not in it
        }
        try (RocksKeyedStore restored = new RocksKeyedStore(dir.resolve("work2"))) {
            restored.restore(files, second);
            ValueState<Long> c = counts(restored);
            assertThat(c.get("key-100")).isEqualTo(-1L);
            assertThat(c.get("key-101")).isEqualTo(101L);
            assertThat(c.get("key-1")).isEqualTo(1L);
        }
    }
}
