package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.engine.state.MemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Dispatch policies of the queue: priority overtakes what waits, groups share a priority level in turns, ageing
 * bounds a low-priority task's wait, and concurrency limits per queue and per group hold.
 */
class DispatchTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static QueuedTask task(String id, int priority, Instant enqueued) {
        return QueuedTask.ready(
                id, "q", "e", "S", 0, priority, null, enqueued, JsonNodeFactory.instance.objectNode(), null);
    }

    static QueuedTask task(String id, String queueName, String group, Instant enqueued) {
        return QueuedTask.ready(
                        id, queueName, "e", "S", 0, 0, null, enqueued, JsonNodeFactory.instance.objectNode(), null)
                .inGroup(group);
    }

    static QueuedTask task(String id, String group, int priority, Instant enqueued) {
        return task(id, priority, enqueued).inGroup(group);
    }

    /** Claims until none is left, answering each at once: the ids in claim order. */
    static List<String> drain(TaskQueue queue) {
        List<String> order = new ArrayList<>();
        Optional<TaskQueue.Lease> l;
        while ((l = queue.claim("q", "w")).isPresent()) {
            order.add(l.get().task().id());
            queue.succeed(l.get().token(), JsonNodeFactory.instance.objectNode());
        }
        return order;
    }

    @Test
    void aCriticalTaskOvertakesAHundredQueuedLowPriorityOnes() {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.fixed(START.plusSeconds(60)));
        for (int i = 0; i < 100; i++) queue.enqueue(task(String.format("low-%03d", i), 0, START.plusMillis(i)));
        queue.enqueue(task("critical", 100, START.plusSeconds(60)));
        assertThat(queue.claim("q", "w").orElseThrow().task().id()).isEqualTo("critical");
        List<String> rest = new ArrayList<>();
        Optional<TaskQueue.Lease> l;
        while ((l = queue.claim("q", "w")).isPresent()) rest.add(l.get().task().id());
        assertThat(rest).hasSize(100).isSorted();
    }

    @Test
    void aConcurrencyLimitOfThreeIsNeverExceeded() throws Exception {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.system());
        queue.limitConcurrency("q", 3);
        for (int i = 0; i < 30; i++) queue.enqueue(task("t" + i, 0, START.plusMillis(i)));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String name = "w" + w;
                workers.add(pool.submit(() -> {
                    while (done.size() < 30) {
                        Optional<TaskQueue.Lease> l = queue.claim("q", name);
                        if (l.isEmpty()) {
                            Thread.sleep(2);
                            continue;
                        }
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(10);
                        running.decrementAndGet();
                        done.add(l.get().task().id());
                        queue.succeed(l.get().token(), JsonNodeFactory.instance.objectNode());
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get();
        }
        assertThat(done).hasSize(30);
        assertThat(most.get()).isBetween(2, 3);
    }

    @Test
    void underFairShareTenTasksOfOneWorkflowAreDispatchedWithinTwentyDespiteAThousandOfAnothersAhead() {
        AtomicReference<Instant> now = new AtomicReference<>(START);
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), now::get);
        for (int i = 0; i < 1000; i++) queue.enqueue(task(String.format("A-%04d", i), "A", 0, START.plusMillis(i)));
        for (int i = 0; i < 10; i++) queue.enqueue(task(String.format("B-%02d", i), "B", 0, START.plusSeconds(2 + i)));
        now.set(START.plusSeconds(600)); // long enough that ageing would put all of A first if it were not capped

        List<String> order = drain(queue);
        assertThat(order).hasSize(1010);
        List<Integer> bAt = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) if (order.get(i).startsWith("B-")) bAt.add(i + 1);
        assertThat(bAt).hasSize(10);
        assertThat(bAt.getLast()).isLessThanOrEqualTo(20);
        // each group still first in, first out
        assertThat(order.stream().filter(id -> id.startsWith("B-")).toList()).isSorted();
        assertThat(order.stream().filter(id -> id.startsWith("A-")).toList()).isSorted();
    }

    @Test
    void groupsOfTheSameLevelTakeTurnsButAHigherPriorityComesFirst() {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.fixed(START.plusSeconds(1)));
        queue.enqueue(task("a1", "A", 0, START));
        queue.enqueue(task("a2", "A", 0, START.plusMillis(1)));
        queue.enqueue(task("a3", "A", 0, START.plusMillis(2)));
        queue.enqueue(task("b1", "B", 0, START.plusMillis(3)));
        queue.enqueue(task("c1", "C", 0, START.plusMillis(4)));
        queue.enqueue(task("b-urgent", "B", 5, START.plusMillis(5)));
        assertThat(drain(queue)).containsExactly("b-urgent", "a1", "c1", "b1", "a2", "a3");
    }

    @Test
    void aTaskStoredWithoutAGroupReadsAndIsDispatchedInTheDefaultGroup() {
        MemoryStateStore store = new MemoryStateStore();
        TaskQueue queue = new TaskQueue(store, InstantSource.fixed(START));
        // a task as stored before tasks had groups
        store.put(TaskQueue.NAMESPACE, "old", """
                {"id":"old","queue":"q","execution":"e","state":"S","attempt":0,"priority":0,\
                "enqueuedAt":"2026-01-01T00:00:00Z","input":{},"status":"READY","deliveries":0}""");
        assertThat(queue.get("old").orElseThrow().group()).isEqualTo(QueuedTask.DEFAULT_GROUP);
        TaskQueue.Lease lease = queue.claim("q", "w").orElseThrow();
        assertThat(lease.task().id()).isEqualTo("old");
        assertThat(queue.get("old").orElseThrow().group()).isEqualTo(QueuedTask.DEFAULT_GROUP);
    }

    @Test
    void ageingDispatchesALowPriorityTaskWithinItsBoundUnderASteadyStreamOfHigherPriorityWork() {
        // one claim a second, one priority-5 task arriving each second: without ageing the low one waits for ever
        assertThat(secondsUntilLowIsDispatched(null, 200)).isEmpty();
        // with one level per 10 s it reaches level 5 after (5 - 0) * 10 s, where it is the oldest
        Optional<Integer> waited = secondsUntilLowIsDispatched(Duration.ofSeconds(10), 200);
        assertThat(waited).isPresent();
        assertThat(waited.get()).isBetween(40, 50);
    }

    private static Optional<Integer> secondsUntilLowIsDispatched(Duration ageStep, int seconds) {
        AtomicReference<Instant> now = new AtomicReference<>(START);
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), now::get);
        queue.ageBy(ageStep);
        queue.enqueue(task("low", 0, START));
        for (int s = 1; s <= seconds; s++) {
            now.set(START.plusSeconds(s));
            queue.enqueue(task(String.format("high-%03d", s), 5, now.get()));
            TaskQueue.Lease l = queue.claim("q", "w").orElseThrow();
            queue.succeed(l.token(), JsonNodeFactory.instance.objectNode());
            if (l.task().id().equals("low")) return Optional.of(s);
        }
        return Optional.empty();
    }

    @Test
    void aConcurrencyLimitOfThreePerWorkflowIsNeverExceededByEightWorkers() throws Exception {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.system());
        queue.limitGroupConcurrency("A", 3);
        Instant at = Instant.now().minusSeconds(1);
        // workflow A's tasks in two activities (queues), B's unlimited: the limit is A's over both
        for (int i = 0; i < 20; i++) {
            queue.enqueue(task("a" + i, i % 2 == 0 ? "q" : "r", "A", at));
            queue.enqueue(task("b" + i, i % 2 == 0 ? "q" : "r", "B", at));
        }
        Map<String, AtomicInteger> running = Map.of("A", new AtomicInteger(), "B", new AtomicInteger());
        Map<String, AtomicInteger> most = Map.of("A", new AtomicInteger(), "B", new AtomicInteger());
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String name = "w" + w;
                String q = w % 2 == 0 ? "q" : "r";
                workers.add(pool.submit(() -> {
                    while (done.size() < 40) {
                        Optional<TaskQueue.Lease> l = queue.claim(q, name);
                        if (l.isEmpty()) {
                            Thread.sleep(2);
                            continue;
                        }
                        String group = l.get().task().group();
                        most.get(group).accumulateAndGet(running.get(group).incrementAndGet(), Math::max);
                        Thread.sleep(10);
                        running.get(group).decrementAndGet();
                        done.add(l.get().task().id());
                        queue.succeed(l.get().token(), JsonNodeFactory.instance.objectNode());
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get();
        }
        assertThat(done).hasSize(40);
        assertThat(most.get("A").get()).isBetween(2, 3);
    }

    @Test
    void aWorkflowAtItsLimitHoldsBackOnlyItsOwnTasks() {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.fixed(START.plusSeconds(1)));
        queue.limitGroupConcurrency("A", 3);
        // a callback task of A waits for its token, not for a worker: it takes none of A's three
        queue.enqueue(queue.callbackTask(
                        "cb", TaskQueue.CALLBACKS, "e", "S", 0, JsonNodeFactory.instance.objectNode(), null, START)
                .inGroup("A"));
        for (int i = 0; i < 5; i++) {
            queue.enqueue(task("a" + i, "A", 0, START.plusMillis(i)));
            queue.enqueue(task("b" + i, "B", 0, START.plusMillis(i)));
        }
        List<TaskQueue.Lease> leases = new ArrayList<>();
        Optional<TaskQueue.Lease> l;
        while ((l = queue.claim("q", "w")).isPresent()) leases.add(l.get());
        assertThat(leases)
                .extracting(lease -> lease.task().group())
                .containsExactly("A", "B", "A", "B", "A", "B", "B", "B");
        // one of A's ends: the next of A may go
        queue.succeed(leases.getFirst().token(), JsonNodeFactory.instance.objectNode());
        assertThat(queue.claim("q", "w").orElseThrow().task().id()).isEqualTo("a3");
        assertThat(queue.claim("q", "w")).isEmpty();
    }
}
