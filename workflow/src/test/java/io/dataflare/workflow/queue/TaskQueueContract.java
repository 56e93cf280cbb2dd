package io.dataflare.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.queue.TaskQueue.Answer.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the durable task queue does on every state store: the same tests on memory, file, SQLite and PostgreSQL. */
abstract class TaskQueueContract {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    final AtomicReference<Instant> now = new AtomicReference<>(START);
    StateStore store;
    TaskQueue queue;

    /** A new, empty store. */
    abstract StateStore open() throws Exception;

    /** The same store opened again, as another process would (the memory store answers itself). */
    abstract StateStore reopen() throws Exception;

    @BeforeEach
    void create() throws Exception {
        store = open();
        queue = new TaskQueue(store, now::get);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static QueuedTask task(String id, String q, int priority, Instant notBefore, Integer heartbeat) {
        return QueuedTask.ready(
                id, q, "exec", "State", 0, priority, notBefore, START, json("{\"id\": \"" + id + "\"}"), heartbeat);
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @Test
    void aTaskIsEnqueuedExactlyWhenTheTransactionOfItsEventCommits() {
        queue.enqueue(
                        store.transaction().expectLogEnd("h", "e", 0).append("h", "e", "scheduled"),
                        task("t1", "a", 0, null, null))
                .commit();
        assertThat(queue.get("t1")).isPresent();
        assertThat(store.read("h", "e", 1, 10)).hasSize(1);

        // a writer that lost the race for the history stores neither its event nor its task
        var stale = queue.enqueue(
                store.transaction().expectLogEnd("h", "e", 0).append("h", "e", "scheduled again"),
                task("t2", "a", 0, null, null));
        assertThatThrownBy(stale::commit).isInstanceOf(StateConflictException.class);
        assertThat(queue.get("t2")).isEmpty();
        assertThat(store.read("h", "e", 1, 10)).hasSize(1);
        assertThat(queue.enqueue(task("t1", "a", 0, null, null))).isFalse();
    }

    @Test
    void dispatchIsByPriorityThenReadinessAndHonoursNotBefore() {
        queue.enqueue(task("low-1", "a", 0, null, null));
        queue.enqueue(task("low-2", "a", 0, null, null));
        queue.enqueue(task("later", "a", 9, START.plusSeconds(60), null));
        queue.enqueue(task("high", "a", 5, null, null));
        queue.enqueue(task("other-queue", "b", 99, null, null));

        List<String> order = new ArrayList<>();
        Optional<TaskQueue.Lease> l;
        while ((l = queue.claim("a", "w")).isPresent()) order.add(l.get().task().id());
        assertThat(order).containsExactly("high", "low-1", "low-2");

        now.set(START.plusSeconds(61));
        assertThat(queue.claim("a", "w").orElseThrow().task().id()).isEqualTo("later");
        assertThat(queue.claim("b", "w").orElseThrow().task().id()).isEqualTo("other-queue");
    }

    @Test
    void aTokenCompletesItsTaskOnceAndUnknownOrLateTokensChangeNothing() throws Exception {
        queue.enqueue(task("t", "a", 0, null, null));
        TaskQueue.Lease lease = queue.claim("a", "worker-1").orElseThrow();
        assertThat(lease.task().status()).isEqualTo(QueuedTask.Status.LEASED);
        assertThat(lease.task().deliveries()).isEqualTo(1);
        assertThat(lease.task().worker()).isEqualTo("worker-1");
        assertThat(queue.claim("a", "worker-2")).isEmpty();

        assertThat(queue.succeed(lease.token(), json("{\"ok\": 1}")).kind()).isEqualTo(Kind.DONE);
        QueuedTask ended = queue.awaitEnd("t");
        assertThat(ended.status()).isEqualTo(QueuedTask.Status.SUCCEEDED);
        assertThat(ended.output()).isEqualTo(json("{\"ok\": 1}"));

        assertThat(queue.succeed(lease.token(), json("{\"ok\": 2}")).kind()).isEqualTo(Kind.STALE);
        assertThat(queue.fail(lease.token(), "E", "late").kind()).isEqualTo(Kind.STALE);
        assertThat(queue.get("t").orElseThrow().output()).isEqualTo(json("{\"ok\": 1}"));
        assertThat(queue.succeed(TaskQueue.token("nope", "x"), json("{}")).kind())
                .isEqualTo(Kind.UNKNOWN);
        assertThat(queue.heartbeat("not a token").kind()).isEqualTo(Kind.UNKNOWN);
        String forged = TaskQueue.token("t", "guessed");
        assertThat(queue.succeed(forged, json("{}")).kind()).isEqualTo(Kind.STALE);

        // once the history took the end the task is gone, and a late token is still refused as stale
        queue.remove(store.transaction(), "t").commit();
        assertThat(queue.get("t")).isEmpty();
        assertThat(queue.succeed(lease.token(), json("{}")).kind()).isEqualTo(Kind.STALE);
    }

    @Test
    void aLeaseWithoutHeartbeatRunsOutAndTheLateWorkerIsRefused() throws Exception {
        queue.enqueue(task("t", "a", 0, null, 10));
        TaskQueue.Lease lease = queue.claim("a", "w").orElseThrow();
        assertThat(lease.task().leaseUntil()).isEqualTo(START.plusSeconds(10));
        now.set(START.plusSeconds(8));
        assertThat(queue.heartbeat(lease.token()).kind()).isEqualTo(Kind.DONE);
        assertThat(queue.get("t").orElseThrow().leaseUntil()).isEqualTo(START.plusSeconds(18));

        now.set(START.plusSeconds(19));
        assertThat(queue.heartbeat(lease.token()).kind()).isEqualTo(Kind.STALE);
        QueuedTask ended = queue.awaitEnd("t");
        assertThat(ended.status()).isEqualTo(QueuedTask.Status.TIMED_OUT);
        assertThat(ended.error()).isEqualTo(ErrorNames.HEARTBEAT_TIMEOUT);
        assertThat(queue.succeed(lease.token(), json("{}")).kind()).isEqualTo(Kind.STALE);
        assertThat(queue.get("t").orElseThrow().status()).isEqualTo(QueuedTask.Status.TIMED_OUT);
    }

    @Test
    void aWaiterWakesWhenTheTaskEndsAndALongPollWhenATaskComes() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Optional<TaskQueue.Lease>> poll = pool.submit(() -> queue.poll("a", "w", Duration.ofSeconds(20)));
            Thread.sleep(100);
            queue.enqueue(task("t", "a", 0, null, null));
            TaskQueue.Lease lease = poll.get().orElseThrow();
            Future<QueuedTask> end = pool.submit(() -> queue.awaitEnd("t"));
            queue.fail(lease.token(), "Boom", "it broke");
            assertThat(end.get().error()).isEqualTo("Boom");
            assertThat(end.get().cause()).isEqualTo("it broke");
        }
        long t0 = System.nanoTime();
        assertThat(queue.poll("a", "w", Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void workersOfSeveralProcessesTakeEachTaskOnce() throws Exception {
        int tasks = 120;
        for (int i = 0; i < tasks; i++) queue.enqueue(task("t" + i, "a", i % 3, null, null));
        Map<String, String> takenBy = new ConcurrentHashMap<>();
        AtomicInteger twice = new AtomicInteger();
        List<StateStore> others = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                StateStore s = reopen();
                others.add(s);
                TaskQueue q = new TaskQueue(s, now::get);
                String worker = "w" + w;
                runs.add(pool.submit(() -> {
                    Optional<TaskQueue.Lease> l;
                    while ((l = q.claim("a", worker)).isPresent()) {
                        if (takenBy.put(l.get().task().id(), worker) != null) twice.incrementAndGet();
                        assertThat(q.succeed(l.get().token(), json("{}")).kind())
                                .isEqualTo(Kind.DONE);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) f.get();
        } finally {
            for (StateStore s : others) if (s != store) s.close();
        }
        assertThat(twice).hasValue(0);
        assertThat(takenBy).hasSize(tasks);
        assertThat(queue.tasks()).allMatch(t -> t.status() == QueuedTask.Status.SUCCEEDED && t.deliveries() == 1);
    }

    @Test
    void tasksAndLeasesSurviveReopening() throws Exception {
        queue.enqueue(task("t", "a", 3, START.plusSeconds(5), 30));
        queue.enqueue(task("u", "a", 0, null, 30));
        TaskQueue.Lease lease = queue.claim("a", "w").orElseThrow();
        StateStore again = reopen();
        try {
            TaskQueue restarted = new TaskQueue(again, now::get);
            assertThat(restarted.get("t").orElseThrow())
                    .isEqualTo(queue.get("t").orElseThrow());
            assertThat(restarted.succeed(lease.token(), json("{\"v\": 1}")).kind())
                    .isEqualTo(Kind.DONE);
            assertThat(restarted.get("u").orElseThrow().output()).isEqualTo(json("{\"v\": 1}"));
        } finally {
            if (again != store) again.close();
        }
    }
}
