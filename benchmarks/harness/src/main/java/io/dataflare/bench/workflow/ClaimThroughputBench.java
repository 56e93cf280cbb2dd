package io.dataflare.bench.workflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.queue.QueuedTask;
import io.dataflare.workflow.queue.TaskQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Claim throughput of the durable task queue with QUEUED tasks waiting: each claim takes a task and its completion
 * answers it (one worker, one at a time). <b>listing</b> is a queue whose index is refreshed from the store on every
 * claim ({@code refreshEvery(0)}: a claim lists the store, though it parses only records that changed);
 * <b>indexed</b> is the default queue. Both on the same kind of store with the same tasks; prints claims per second
 * and the ratio. Run on a build from before the index (its workflow jar first on the class path), where there is no
 * {@code refreshEvery}, both rows are that build's claims: each lists and parses every task and sorts them all.
 *
 * <p>Arguments: QUEUED CLAIMS [memory|file].
 */
public final class ClaimThroughputBench {
    private ClaimThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int queued = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int claims = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String kind = args.length > 2 ? args[2] : "file";
        double listing = run(kind, queued, claims, Duration.ZERO);
        double indexed = run(kind, queued, claims, Duration.ofSeconds(5));
        System.out.printf(
                "%s store, %,d queued, %,d claims: listing %.1f claims/s, indexed %.1f claims/s, ratio %.1fx%n",
                kind, queued, claims, listing, indexed, indexed / listing);
    }

    /** Claims per second of {@code claims} claims (each answered) among {@code queued} waiting tasks. */
    static double run(String kind, int queued, int claims, Duration refresh) throws Exception {
        Path dir = Files.createTempDirectory("claim-bench");
        try (StateStore store = kind.equals("memory") ? new MemoryStateStore() : new FileStateStore(dir)) {
            TaskQueue queue = new TaskQueue(store, InstantSource.system());
            try { // looked up, so that the same harness also measures a build from before the index
                TaskQueue.class.getMethod("refreshEvery", Duration.class).invoke(queue, refresh);
            } catch (NoSuchMethodException e) {
                System.out.println("this build's queue has no index: every claim lists the store");
            }
            Instant at = Instant.now().minusSeconds(1);
            for (int i = 0; i < queued; i++)
                queue.enqueue(QueuedTask.ready(
                                "t" + i,
                                "work",
                                "e" + i,
                                "S",
                                0,
                                i % 3,
                                null,
                                at,
                                JsonNodeFactory.instance.objectNode(),
                                null)
                        .inGroup("g" + (i % 4)));
            queue.claim("warm-up", "w"); // loads the index once (the indexed run's only listing)
            long t0 = System.nanoTime();
            for (int i = 0; i < claims; i++) {
                TaskQueue.Lease lease = queue.claim("work", "w").orElseThrow();
                queue.succeed(lease.token(), JsonNodeFactory.instance.objectNode());
            }
            return claims / ((System.nanoTime() - t0) / 1e9);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
