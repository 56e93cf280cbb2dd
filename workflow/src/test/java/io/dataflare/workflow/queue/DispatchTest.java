package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.engine.state.MemoryStateStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dispatch policies of the queue: priority overtakes what waits, and a concurrency limit holds. */
class DispatchTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static QueuedTask task(String id, int priority, Instant enqueued) {
        return QueuedTask.ready(
                id, "q", "e", "S", 0, priority, null, enqueued, JsonNodeFactory.instance.objectNode(), null);
    }

    @Test
    void aCriticalTaskOvertakesAHundredQueuedLowPriorityOnes() {
        TaskQueue queue = new TaskQueue(new MemoryStateStore(), InstantSource.system());
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
}
