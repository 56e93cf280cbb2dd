package io.dataflare.workflow.queue;

import static io.dataflare.workflow.queue.DispatchTest.START;
import static io.dataflare.workflow.queue.DispatchTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.engine.state.LogRecord;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateLock;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateTransaction;
import io.dataflare.engine.state.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The claim's in-memory index: it dispatches in the order a claim that lists the store each time gives, sees what
 * another process (another queue on the same store) enqueued once it refreshes, and a claim among 10,000 queued
 * tasks reads one record of the store, not all of them.
 */
class TaskIndexTest {

    /** A real store that counts the reads of the queue's records. */
    static final class CountingStore implements StateStore {
        final StateStore inner;
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(StateStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<String> get(String namespace, String key) {
            if (namespace.equals(TaskQueue.NAMESPACE)) reads.incrementAndGet();
            return inner.get(namespace, key);
        }

        @Override
        public Optional<Versioned> getVersioned(String namespace, String key) {
            if (namespace.equals(TaskQueue.NAMESPACE)) reads.incrementAndGet();
            return inner.getVersioned(namespace, key);
        }

        @Override
        public Map<String, String> list(String namespace) {
            if (namespace.equals(TaskQueue.NAMESPACE)) lists.incrementAndGet();
            return inner.list(namespace);
        }

        @Override
        public void put(String namespace, String key, String value) {
            inner.put(namespace, key, value);
        }

        @Override
        public boolean delete(String namespace, String key) {
            return inner.delete(namespace, key);
        }

        @Override
        public StateTransaction transaction() {
            return inner.transaction();
        }

        @Override
        public List<LogRecord> read(String namespace, String log, long from, int max) {
            return inner.read(namespace, log, from, max);
        }

        @Override
        public long lastSequence(String namespace, String log) {
            return inner.lastSequence(namespace, log);
        }

        @Override
        public void truncateBefore(String namespace, String log, long sequence) {
            inner.truncateBefore(namespace, log, sequence);
        }

        @Override
        public SortedSet<String> logs(String namespace) {
            return inner.logs(namespace);
        }

        @Override
        public SortedSet<String> namespaces() {
            return inner.namespaces();
        }

        @Override
        public StateLock lock(String name, String owner) {
            return inner.lock(name, owner);
        }

        @Override
        public String describe() {
            return "counting " + inner.describe();
        }
    }

    /** A mix of priorities, groups, not-before times and ages, enqueued on {@code queue}. */
    private static void enqueueMix(TaskQueue queue) {
        for (int i = 0; i < 60; i++) {
            String group = "g" + (i % 3);
            int priority = i % 7 == 0 ? 5 : i % 4;
            QueuedTask t = task("t" + i, group, priority, START.plusSeconds(i));
            if (i % 11 == 0)
                t = QueuedTask.ready(
                                t.id(),
                                "q",
                                "e",
                                "S",
                                0,
                                priority,
                                START.plusSeconds(200 + i),
                                START.plusSeconds(i),
                                JsonNodeFactory.instance.objectNode(),
                                null)
                        .inGroup(group);
            queue.enqueue(t);
        }
    }

    /** Claims one task per 10 s of the clock (ageing and not-before times change the order on the way). */
    private static List<String> drainOverTime(TaskQueue queue, AtomicReference<Instant> now) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200 && order.size() < 60; i++) {
            now.set(START.plusSeconds(100 + 10L * i));
            Optional<TaskQueue.Lease> l = queue.claim("q", "w");
            if (l.isEmpty()) continue;
            order.add(l.get().task().id());
            queue.succeed(l.get().token(), JsonNodeFactory.instance.objectNode());
        }
        return order;
    }

    @Test
    void theIndexDispatchesInTheOrderOfAClaimThatListsTheStoreEachTime() {
        AtomicReference<Instant> now = new AtomicReference<>(START);
        CountingStore listingStore = new CountingStore(new MemoryStateStore());
        TaskQueue listing = new TaskQueue(listingStore, now::get);
        listing.refreshEvery(Duration.ZERO); // every claim lists the store, as claims did before the index
        listing.ageBy(Duration.ofSeconds(30));
        TaskQueue indexed = new TaskQueue(new MemoryStateStore(), now::get);
        indexed.ageBy(Duration.ofSeconds(30));
        enqueueMix(listing);
        enqueueMix(indexed);

        List<String> expected = drainOverTime(listing, now);
        assertThat(expected).hasSize(60);
        assertThat(listingStore.lists.get()).isGreaterThanOrEqualTo(60);
        assertThat(drainOverTime(indexed, now)).isEqualTo(expected);
    }

    @Test
    void aTaskEnqueuedByAnotherProcessIsClaimedAfterARefresh() throws Exception {
        MemoryStateStore shared = new MemoryStateStore();
        TaskQueue other = new TaskQueue(shared, () -> START);
        TaskQueue mine = new TaskQueue(shared, () -> START);
        mine.refreshEvery(Duration.ofHours(1));
        mine.enqueue(task("mine", 0, START));
        assertThat(mine.claim("q", "w").orElseThrow().task().id()).isEqualTo("mine");

        other.enqueue(task("theirs", 9, START));
        mine.enqueue(task("mine-2", 0, START));
        // the index has not seen the other process's task yet: it dispatches its own
        assertThat(mine.claim("q", "w").orElseThrow().task().id()).isEqualTo("mine-2");
        // a claim that finds nothing refreshes (at most once per MISS_REFRESH): a long poll gets the task
        assertThat(mine.poll("q", "w", Duration.ofSeconds(30))
                        .orElseThrow()
                        .task()
                        .id())
                .isEqualTo("theirs");

        other.enqueue(task("theirs-2", 9, START));
        mine.enqueue(task("mine-3", 0, START));
        mine.refresh();
        assertThat(mine.claim("q", "w").orElseThrow().task().id()).isEqualTo("theirs-2");
        assertThat(mine.claim("q", "w").orElseThrow().task().id()).isEqualTo("mine-3");
    }

    @Test
    void aTaskTheIndexStillHasAsReadyButAnotherProcessTookIsSkippedNotLeasedTwice() {
        MemoryStateStore shared = new MemoryStateStore();
        TaskQueue other = new TaskQueue(shared, () -> START);
        TaskQueue mine = new TaskQueue(shared, () -> START);
        mine.refreshEvery(Duration.ofHours(1));
        mine.enqueue(task("a", 5, START));
        mine.enqueue(task("b", 0, START));
        mine.refresh();
        assertThat(other.claim("q", "w2").orElseThrow().task().id()).isEqualTo("a");
        // the index still has "a" as ready; the store's version check refuses it and the claim goes on to "b"
        assertThat(mine.claim("q", "w1").orElseThrow().task().id()).isEqualTo("b");
        assertThat(shared.get(TaskQueue.NAMESPACE, "a").orElseThrow()).contains("\"worker\":\"w2\"");
    }

    @Test
    void aClaimAmongTenThousandQueuedTasksDoesNotReadThemAll() {
        CountingStore store = new CountingStore(new MemoryStateStore());
        TaskQueue queue = new TaskQueue(store, () -> START.plusSeconds(1));
        queue.refreshEvery(Duration.ofHours(1));
        for (int i = 0; i < 10_000; i++) queue.enqueue(task(String.format("t%05d", i), "g" + (i % 4), 0, START));
        queue.refresh();
        store.lists.set(0);
        store.reads.set(0);

        for (int i = 0; i < 100; i++) {
            TaskQueue.Lease lease = queue.claim("q", "w").orElseThrow();
            queue.succeed(lease.token(), JsonNodeFactory.instance.objectNode());
        }
        assertThat(store.lists).hasValue(0);
        // one read for the version of each claimed task and one for each completion's token: none of the others
        assertThat(store.reads.get()).isLessThanOrEqualTo(200);
        assertThat(queue.depth("q")).isEqualTo(new TaskQueue.Depth(9_900, 9_900, 0));
    }
}
