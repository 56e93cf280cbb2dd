package io.dataflare.engine.state.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapKeyedStoreTest {
    @TempDir
    Path dir;

    private static ValueState<Long> counts(KeyedStore s) {
        return new KeyedStateAccess(s, Clock.systemUTC()).value("count", StateType.longs());
    }

    @Test
    void aSnapshotRestoresIntoAFreshStore() {
        DirectorySnapshotFiles files = new DirectorySnapshotFiles(dir);
        HeapKeyedStore store = new HeapKeyedStore();
        for (int i = 0; i < 100; i++) counts(store).put("k" + i, (long) i);
        List<String> refs = store.snapshot(files, "p/0/", 1);
        counts(store).put("k1", 1000L); // after the snapshot: not in it

        HeapKeyedStore restored = new HeapKeyedStore();
        restored.restore(files, refs);
        assertThat(restored.size()).isEqualTo(100);
        assertThat(counts(restored).get("k1")).isEqualTo(1L);
        assertThat(counts(restored).get("k99")).isEqualTo(99L);
    }

    @Test
    void theSecondSnapshotWritesOnlyWhatChanged() {
        DirectorySnapshotFiles files = new DirectorySnapshotFiles(dir);
        HeapKeyedStore store = new HeapKeyedStore();
        ValueState<Long> c = counts(store);
        for (int i = 0; i < 100_000; i++) c.put("key-" + i, (long) i);
        List<String> first = store.snapshot(files, "p/0/", 1);
        long fullBytes = files.size(first.get(0));
        for (int i = 0; i < 1_000; i++) c.put("key-" + i * 100, -1L); // 1% of the keys
        c.delete("key-1");
        List<String> second = store.snapshot(files, "p/0/", 2);

        assertThat(second).hasSize(2).startsWith(first.get(0));
        long deltaBytes = files.size(second.get(1));
        assertThat((double) deltaBytes / fullBytes).isBetween(0.005, 0.02);

        HeapKeyedStore restored = new HeapKeyedStore();
        restored.restore(files, second);
        assertThat(restored.size()).isEqualTo(99_999);
        assertThat(counts(restored).get("key-100")).isEqualTo(-1L);
        assertThat(counts(restored).get("key-101")).isEqualTo(101L);
        assertThat(counts(restored).get("key-1")).isNull();
    }

    @Test
    void deltasGrowingPastHalfTheFullSnapshotStartAFullOneAgain() {
        DirectorySnapshotFiles files = new DirectorySnapshotFiles(dir);
        HeapKeyedStore store = new HeapKeyedStore();
        ValueState<Long> c = counts(store);
        for (int i = 0; i < 1_000; i++) c.put("k" + i, 0L);
        store.snapshot(files, "p/0/", 1);
        for (int i = 0; i < 300; i++) c.put("k" + i, 1L); // 30%: a delta
        assertThat(store.snapshot(files, "p/0/", 2)).containsExactly("p/0/1.full", "p/0/2.delta");
        for (int i = 300; i < 600; i++) c.put("k" + i, 2L); // 60% in deltas: more than half
        List<String> third = store.snapshot(files, "p/0/", 3);
        assertThat(third).containsExactly("p/0/3.full");
    }

    @Test
    void afterADiscardedSnapshotTheNextIsFull() {
        DirectorySnapshotFiles files = new DirectorySnapshotFiles(dir);
        HeapKeyedStore store = new HeapKeyedStore();
        counts(store).put("a", 1L);
        store.snapshot(files, "p/0/", 1);
        counts(store).put("b", 2L);
        store.snapshot(files, "p/0/", 2); // its checkpoint was not saved: "b" must not be lost
        store.snapshotDiscarded();
        counts(store).put("c", 3L);
        List<String> refs = store.snapshot(files, "p/0/", 3);
        assertThat(refs).containsExactly("p/0/3.full");
        HeapKeyedStore restored = new HeapKeyedStore();
        restored.restore(files, refs);
        assertThat(restored.size()).isEqualTo(3);
    }
}
