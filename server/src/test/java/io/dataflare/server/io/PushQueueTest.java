package io.dataflare.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sequence numbers, held records, re-delivery to the next reader, seeks and commits of a push queue. */
class PushQueueTest {
    @Test
    void whatARunReadAndNoCheckpointCoveredComesAgainToTheNextRunInOrder() throws Exception {
        PushQueue q = new PushQueue(10);
        q.offer(records(1, 5), 0);
        PushQueue.Reader first = q.reader();
        List<PushQueue.Entry> read = first.poll(3, 0);
        assertThat(seqs(read)).containsExactly(1L, 2L, 3L);
        first.commit(first.position(2));
        assertThat(q.held()).as("3 is read, not covered").isEqualTo(1);
        assertThat(q.size()).isEqualTo(2);

        PushQueue.Reader second = q.reader(); // the first run failed
        assertThat(first.poll(10, 0)).as("an ended run reads nothing more").isEmpty();
        assertThat(values(second.poll(10, 0))).containsExactly(3, 4, 5);
    }

    @Test
    void seekDropsWhatTheCheckpointCoversOnlyInItsOwnNumbering() throws Exception {
        PushQueue q = new PushQueue(10);
        q.offer(records(1, 4), 0);
        PushQueue.Reader r = q.reader();
        Map<String, Object> afterTwo = r.position(2);
        r.seek(Map.of("queue", "another-numbering", "seq", 3L));
        r.seek(Map.of("taken", 3L)); // a position of an earlier version
        assertThat(q.size())
                .as("positions of another numbering cover nothing here")
                .isEqualTo(4);
        r.seek(afterTwo);
        assertThat(values(r.poll(10, 0))).containsExactly(3, 4);
    }

    @Test
    void aCommitOfAnEndedRunIsIgnoredAndCapacityCountsUnreadRecordsOnly() throws Exception {
        PushQueue q = new PushQueue(3);
        q.offer(records(1, 3), 0);
        PushQueue.Reader old = q.reader();
        old.poll(3, 0);
        assertThat(q.offer(records(4, 3), 0)).as("held records leave room").isTrue();
        assertThat(q.offer(records(7, 1), 0)).as("three unread: full").isFalse();
        PushQueue.Reader current = q.reader();
        old.commit(old.position(3));
        assertThat(q.size()).as("re-delivered to the current run").isEqualTo(6);
        current.commit(current.position(3));
        assertThat(values(current.poll(10, 0))).containsExactly(4, 5, 6);
    }

    @Test
    void savedRecordsKeepTheirNumbersAndTheNumberingGoesOn() throws Exception {
        PushQueue a = new PushQueue(10);
        a.offer(records(1, 3), 0);
        PushQueue.Reader r = a.reader();
        r.poll(2, 0);
        Map<String, Object> coversOne = r.position(1);
        PushQueue.Saved saved = a.saved();
        assertThat(seqs(saved.entries())).containsExactly(1L, 2L, 3L);

        PushQueue b = new PushQueue(10);
        b.restore(saved);
        b.offer(records(4, 1), 0);
        PushQueue.Reader next = b.reader();
        next.seek(coversOne);
        List<PushQueue.Entry> read = next.poll(10, 0);
        assertThat(values(read)).containsExactly(2, 3, 4);
        assertThat(seqs(read)).containsExactly(2L, 3L, 4L);
    }

    @Test
    void aReplacedQueueTakesOverEverythingEvenBeyondItsCapacity() throws Exception {
        PushQueue old = new PushQueue(10);
        old.offer(records(1, 5), 0);
        old.reader().poll(2, 0);
        PushQueue smaller = new PushQueue(2);
        smaller.takeOver(old);
        assertThat(old.offer(records(9, 1), 0))
                .as("the old queue refuses pushes now")
                .isFalse();
        assertThat(smaller.accepted()).isEqualTo(5);
        assertThat(values(smaller.reader().poll(10, 0))).containsExactly(1, 2, 3, 4, 5);
        assertThat(smaller.offer(records(6, 1), 0)).as("room again once read").isTrue();
    }

    private static List<Record> records(int from, int n) {
        List<Record> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) out.add(Record.fromMap(Map.of("n", (long) i)));
        return out;
    }

    private static List<Long> seqs(List<PushQueue.Entry> entries) {
        return entries.stream().map(PushQueue.Entry::seq).toList();
    }

    private static List<Integer> values(List<PushQueue.Entry> entries) {
        return entries.stream()
                .map(e -> ((Number) e.record().get("n")).intValue())
                .toList();
    }
}
