package io.dataflare.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue with a spool: what an offer acknowledged is in the store when the offer returns (a new queue over the
 * same store, as after a crash, gets it back with its numbers), concurrent offers share writes, and a durable
 * checkpoint trims what it covers.
 */
class PushSpoolTest {
    @TempDir
    Path dir;

    private static List<Record> records(int from, int n) {
        List<Record> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) out.add(Record.fromMap(Map.of("id", (long) i)));
        return out;
    }

    private static PushQueue spooled(StateStore store) {
        PushQueue q = new PushQueue(100_000);
        q.spoolTo(PushSpool.of(store, "task", "in"));
        return q;
    }

    @Test
    void whatAnOfferAcknowledgedComesBackInANewQueueWithItsNumbers() throws Exception {
        StateStore store = new FileStateStore(dir);
        PushQueue q = spooled(store);
        assertThat(q.offer(records(0, 3), 100)).isTrue();
        assertThat(q.offer(records(3, 2), 100)).isTrue();
        List<PushQueue.Entry> read = q.reader().poll(10, 100);
        assertThat(read).hasSize(5);

        PushQueue after = spooled(new FileStateStore(dir)); // the first one's memory is gone, as after SIGKILL
        assertThat(after.size()).isEqualTo(5);
        List<PushQueue.Entry> again = after.reader().poll(10, 100);
        assertThat(again).extracting(PushQueue.Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(again).extracting(e -> e.record().get("id")).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(after.position()).isEqualTo(q.position()).as("the same numbering");
    }

    @Test
    void aDurableCheckpointTrimsTheSpool() throws Exception {
        StateStore store = new FileStateStore(dir);
        PushQueue q = spooled(store);
        q.offer(records(0, 3), 100);
        q.offer(records(3, 3), 100);
        PushQueue.Reader r = q.reader();
        List<PushQueue.Entry> read = r.poll(3, 100);
        r.commit(r.position(read.get(2).seq())); // covers the first push
        assertThat(store.read(PushSpool.NAMESPACE, "task.in", 1, 10)).hasSize(1);

        PushQueue after = spooled(new FileStateStore(dir));
        assertThat(after.reader().poll(10, 100))
                .extracting(PushQueue.Entry::seq)
                .containsExactly(4L, 5L, 6L);
    }

    @Test
    void concurrentOffersShareWrites() throws Exception {
        StateStore store = new FileStateStore(dir);
        PushQueue q = spooled(store);
        int offers = 400;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < offers; i++) {
                int from = i * 2;
                done.add(pool.submit(() -> q.offer(records(from, 2), 5_000)));
            }
            for (Future<Boolean> f : done) assertThat(f.get()).isTrue();
        }
        assertThat(q.size()).isEqualTo(offers * 2);
        long writes = store.lastSequence(PushSpool.NAMESPACE, "task.in");
        assertThat(writes).as("log records for %d offers", offers).isLessThan(offers);
        PushQueue after = spooled(new FileStateStore(dir));
        assertThat(after.size()).isEqualTo(offers * 2);
    }

    @Test
    void aDiscardedQueueLeavesNothingInTheSpool() throws Exception {
        StateStore store = new FileStateStore(dir);
        PushQueue q = spooled(store);
        q.offer(records(0, 3), 100);
        q.discard();
        assertThat(spooled(new FileStateStore(dir)).size()).isZero();
    }
}
