package io.dataflare.workflow.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.engine.state.StateConflictException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateTransaction;
import io.dataflare.engine.state.Versioned;
import io.dataflare.workflow.error.ErrorNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A durable task queue in a {@link StateStore} (any backend): tasks with a priority, a not-before time, a delivery
 * count and a lease, one key each in namespace {@link #NAMESPACE}. A task is enqueued inside the transaction of
 * the history event that schedules it ({@link #enqueue(StateTransaction, QueuedTask)}), so a task exists exactly
 * when its event does.
 *
 * <p>Taking a task ({@link #claim}) is a put that expects the version the claimer read: of several processes
 * sharing one store (several servers on one PostgreSQL database) one wins, the others get a conflict and go on to
 * the next candidate instead of waiting for it, which is what {@code SELECT ... FOR UPDATE SKIP LOCKED} gives a
 * hand-written queue; the store's SPI has no row locks, and needs none for this. Within one process claims are
 * taken one at a time, so its own workers never conflict.
 *
 * <p>A claim does not list the store: it picks its candidates from an in-memory index of the ready and leased
 * tasks ({@code TaskIndex}), kept up to date by this process's own writes at once and refreshed by a listing of the
 * store for what other processes wrote: at least every {@link #refreshEvery} (default {@link #DEFAULT_REFRESH}), and
 * when a claim finds nothing to take (at most once per {@link #MISS_REFRESH}). The store stays the source of truth:
 * a candidate that another process took or removed meanwhile fails its version check and is skipped.
 *
 * <p>A lease is a secret in the task and in the task token handed to the worker ({@code base64url(id).secret}):
 * a heartbeat, success or failure with a token whose task is gone is {@link Answer.Kind#UNKNOWN}, with a token
 * whose lease is over (ran out, or the task ended) {@link Answer.Kind#STALE}, and changes nothing.
 */
public final class TaskQueue {
    public static final String NAMESPACE = "workflow.queue";
    /** The key of the tokens of callback tasks (one random secret per store, created on first use). */
    static final String SECRETS = "workflow.queue-secret";
    /** The queue of callback ({@code .waitForTaskToken}) tasks: leased from the start, never polled. */
    public static final String CALLBACKS = "callback";

    /** Ids of tasks whose end the history took (id to when): a late token for them is stale, not unknown. */
    public static final String ENDED = "workflow.queue-ended";
    /** The longest a claim goes on from an index not refreshed from the store, unless {@link #refreshEvery} says. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);
    /**
     * How often at most a claim that found nothing refreshes the index from the store: a task another process
     * enqueued is seen about this soon by a waiting worker, while an idle long poll does not list the store each time.
     */
    static final Duration MISS_REFRESH = Duration.ofSeconds(1);
    /** How often a waiter looks at the store again for what another process did (in-process changes wake it). */
    static final Duration RECHECK = Duration.ofMillis(250);

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** How long a ready task waits for each priority level it rises by ageing, unless {@link #ageBy} says otherwise. */
    public static final Duration DEFAULT_AGE_STEP = Duration.ofMinutes(1);
    /** Highest priority first, then the earliest ready, then the first enqueued, then by id. */
    static final Comparator<QueuedTask> DISPATCH_ORDER = Comparator.comparingInt(QueuedTask::priority)
            .reversed()
            .thenComparing(QueuedTask::readyAt)
            .thenComparing(QueuedTask::enqueuedAt)
            .thenComparing(QueuedTask::id);

    private final StateStore store;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** One more at each change: a waiter that saw a generation sleeps only while nothing changed since. */
    private long generation;

    private final ReentrantLock claiming = new ReentrantLock();
    private final java.util.Map<String, Integer> limits = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> groupLimits = new java.util.concurrent.ConcurrentHashMap<>();
    private final DispatchPolicy policy = new DispatchPolicy(DEFAULT_AGE_STEP);
    private final TaskIndex index = new TaskIndex();
    private volatile long refreshNanos = DEFAULT_REFRESH.toNanos();
    /** When the index was last refreshed from the store ({@link System#nanoTime}); written under {@link #claiming}. */
    private volatile long refreshedAt;
    /** Whether the last claim found candidates held back by a concurrency limit; guarded by {@link #claiming}. */
    private boolean limited;

    public TaskQueue(StateStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    public StateStore store() {
        return store;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Adds {@code task} to {@code tx}: it is enqueued when, and only when, the transaction commits. */
    public StateTransaction enqueue(StateTransaction tx, QueuedTask task) {
        return tx.put(NAMESPACE, task.id(), write(task));
    }

    /**
     * Adds to {@code tx} the removal of the task {@code id} (the history took its end, or its execution ended),
     * leaving its id in {@link #ENDED} so that a late completion is refused as stale.
     */
    public StateTransaction remove(StateTransaction tx, String id) {
        return tx.delete(NAMESPACE, id).put(ENDED, id, "{\"endedAt\":\"" + now() + "\"}");
    }

    /**
     * Tells this queue that a transaction with {@link #enqueue(StateTransaction, QueuedTask)} of {@code enqueued} and
     * {@link #remove(StateTransaction, String)} of {@code removed} committed: its index has them at once (without
     * this, only after its next refresh from the store), and waiting workers wake when tasks came.
     */
    public void committed(List<QueuedTask> enqueued, List<String> removed) {
        // in this order: a transaction may enqueue a task and also remove it (its execution ended in the batch)
        for (QueuedTask t : enqueued) index.wrote(t, write(t));
        for (String id : removed) index.removed(id);
        if (!enqueued.isEmpty()) changed();
    }

    /**
     * Enqueues {@code task} on its own.
     *
     * @return false when a task of that id is there already (nothing changed)
     */
    public boolean enqueue(QueuedTask task) {
        try {
            enqueue(store.transaction().expectAbsent(NAMESPACE, task.id()), task)
                    .commit();
        } catch (StateConflictException e) {
            return false;
        }
        index.wrote(task, write(task));
        changed();
        return true;
    }

    /**
     * The token of the callback task {@code id}: {@code base64url(id).HMAC(id)} with the store's secret, so that
     * every process sharing the store computes the same token for one attempt, and nobody else can.
     */
    public String callbackToken(String id) {
        return token(id, callbackSecret(id));
    }

    /**
     * A callback task ({@code .waitForTaskToken}): leased to its token from the start (so no worker polls it), with
     * a lease of {@code heartbeatSeconds} from {@code at} (null: until answered).
     */
    public QueuedTask callbackTask(
            String id,
            String queueName,
            String execution,
            String state,
            int attempt,
            JsonNode input,
            Integer heartbeatSeconds,
            Instant at) {
        return QueuedTask.ready(id, queueName, execution, state, attempt, 0, null, at, input, heartbeatSeconds)
                .leased(callbackSecret(id), "callback", at);
    }

    private volatile javax.crypto.spec.SecretKeySpec secret;

    private String callbackSecret(String id) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(secretKey());
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    private javax.crypto.spec.SecretKeySpec secretKey() {
        if (secret == null) {
            Optional<String> stored = store.get(SECRETS, "hmac");
            if (stored.isEmpty()) {
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                try {
                    store.transaction()
                            .expectAbsent(SECRETS, "hmac")
                            .put(SECRETS, "hmac", Base64.getEncoder().encodeToString(fresh))
                            .commit();
                } catch (StateConflictException e) {
                    // another process created it first: use theirs
                }
                stored = store.get(SECRETS, "hmac");
            }
            secret =
                    new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(stored.orElseThrow()), "HmacSHA256");
        }
        return secret;
    }

    /** Wakes this process's waiters (after a transaction that enqueued tasks commits). */
    public void changed() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public Optional<QueuedTask> get(String id) {
        return store.get(NAMESPACE, id).map(TaskQueue::read);
    }

    /** Every task of the store, by priority, then oldest first (a claim also applies ageing and the groups' turns). */
    public List<QueuedTask> tasks() {
        List<QueuedTask> out = new ArrayList<>();
        for (String json : store.list(NAMESPACE).values()) out.add(read(json));
        out.sort(DISPATCH_ORDER);
        return out;
    }

    /** The tasks of {@code queue} a worker may take now, by priority, then oldest first. */
    public List<QueuedTask> ready(String queue) {
        Instant now = now();
        return tasks().stream()
                .filter(t -> t.queue().equals(queue)
                        && t.status() == QueuedTask.Status.READY
                        && !t.readyAt().isAfter(now))
                .toList();
    }

    /**
     * At most {@code max} tasks of {@code queue} leased at once (checked by this process's claims, which are taken
     * one at a time; processes sharing a store each apply their own limit).
     */
    public void limitConcurrency(String queue, int max) {
        if (max < 1) throw new IllegalArgumentException("a concurrency limit is 1 or more: " + max);
        limits.put(queue, max);
    }

    /**
     * At most {@code max} tasks of {@code group} (a workflow's name) leased at once, over all queues (callback tasks,
     * which wait for their token and take no worker, do not count). Checked like {@link #limitConcurrency}.
     */
    public void limitGroupConcurrency(String group, int max) {
        if (max < 1) throw new IllegalArgumentException("a concurrency limit is 1 or more: " + max);
        groupLimits.put(group == null ? QueuedTask.DEFAULT_GROUP : group, max);
    }

    /**
     * Ageing: a ready task rises one priority level per {@code step} waited, up to the highest priority among the
     * queue's ready tasks (null or zero: no ageing; the default is {@link #DEFAULT_AGE_STEP}). See
     * {@code DispatchPolicy}.
     */
    public void ageBy(Duration step) {
        claiming.lock();
        try {
            policy.ageBy(step);
        } finally {
            claiming.unlock();
        }
    }

    /**
     * Takes the task of {@code queue} that is next by the {@code DispatchPolicy} (priority with ageing, then the
     * groups in turn, then the oldest), if one is ready and no concurrency limit is reached: leased to
     * {@code worker}.
     */
    public Optional<Lease> claim(String queue, String worker) {
        claiming.lock();
        try {
            long sinceRefresh = System.nanoTime() - refreshedAt;
            if (!index.loaded() || sinceRefresh >= refreshNanos) refresh();
            else sinceRefresh = -1;
            Optional<Lease> lease = claimIndexed(queue, worker);
            // a miss may be a task another process enqueued since the last refresh: look once more (not too often;
            // and not when a concurrency limit held the claim back, which more tasks would not change)
            if (lease.isEmpty()
                    && !limited
                    && sinceRefresh == -1
                    && System.nanoTime() - refreshedAt >= MISS_REFRESH.toNanos()) {
                refresh();
                lease = claimIndexed(queue, worker);
            }
            return lease;
        } finally {
            claiming.unlock();
        }
    }

    private Optional<Lease> claimIndexed(String queue, String worker) {
        Instant now = now();
        TaskIndex.View view = index.view(queue, now);
        Integer limit = limits.get(queue);
        limited = limit != null && view.leasedInQueue() >= limit;
        if (limited) return Optional.empty();
        List<QueuedTask> ready = new ArrayList<>(view.ready());
        limited = ready.removeIf(t -> {
            Integer max = groupLimits.get(t.group());
            return max != null && view.leasedByGroup().getOrDefault(t.group(), 0) >= max;
        });
        for (QueuedTask candidate : policy.order(queue, ready, now)) {
            Optional<Lease> lease = claimTask(candidate.id(), worker);
            if (lease.isPresent()) {
                policy.served(queue, candidate.group());
                return lease;
            }
        }
        return Optional.empty();
    }

    /**
     * Refreshes the index from the store now (claims do so by themselves: every {@link #refreshEvery}, and when
     * they find nothing).
     */
    public void refresh() {
        claiming.lock();
        try {
            long since = index.beginRefresh();
            index.refreshed(store.list(NAMESPACE), since);
            refreshedAt = System.nanoTime();
        } finally {
            claiming.unlock();
        }
    }

    /**
     * The longest a claim goes on from an index that was not refreshed from the store (what other processes sharing
     * the store wrote is seen at the latest after this, or sooner when a claim finds nothing).
     */
    public void refreshEvery(Duration interval) {
        if (interval.isNegative()) throw new IllegalArgumentException("a refresh interval is zero or positive");
        refreshNanos = interval.toNanos();
    }

    /** How many tasks of {@code queue} wait and how many are leased, as this process's index has them now. */
    public Depth depth(String queue) {
        claiming.lock();
        try {
            if (!index.loaded() || System.nanoTime() - refreshedAt >= refreshNanos) refresh();
        } finally {
            claiming.unlock();
        }
        return index.depth(queue, now());
    }

    /**
     * @param queued tasks waiting for a worker (READY), including those whose not-before time is still to come
     * @param ready  of those, the ones a worker may take now
     * @param leased tasks held by a worker whose lease has not run out
     */
    public record Depth(long queued, long ready, long leased) {}

    /** A callback or approval task: leased from the start to its token, it occupies no worker. */
    static boolean isCallback(QueuedTask t) {
        return t.queue().equals(CALLBACKS) || t.queue().equals(Approvals.QUEUE);
    }

    private Optional<Lease> claimTask(String id, String worker) {
        Optional<Versioned> v = store.getVersioned(NAMESPACE, id);
        QueuedTask t = v.map(found -> read(found.value())).orElse(null);
        if (t == null || t.status() != QueuedTask.Status.READY) {
            index.observed(id, v.map(Versioned::value).orElse(null)); // gone or taken since the index saw it
            return Optional.empty();
        }
        String secret = UUID.randomUUID().toString();
        QueuedTask leased = t.leased(secret, worker, now());
        if (!put(leased, v.get().version())) { // another process took it: skip it
            index.observed(id, store.get(NAMESPACE, id).orElse(null));
            return Optional.empty();
        }
        return Optional.of(new Lease(token(id, secret), leased));
    }

    /**
     * Waits up to {@code wait} for a task of {@code queue} and takes it (a long poll).
     *
     * @return empty when none came in time
     */
    public Optional<Lease> poll(String queue, String worker, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = generation();
            Optional<Lease> lease = claim(queue, worker);
            if (lease.isPresent()) return lease;
            long left = deadline - System.nanoTime();
            if (left <= 0) return Optional.empty();
            await(Math.min(left, RECHECK.toNanos()), seen);
        }
    }

    /** Extends the lease of the token's task by its {@code HeartbeatSeconds}. */
    public Answer heartbeat(String token) {
        return update(token, t -> t.heartbeat(now()));
    }

    /** Ends the token's task with {@code output}. */
    public Answer succeed(String token, JsonNode output) {
        return update(token, t -> t.ended(QueuedTask.Status.SUCCEEDED, output, null, null));
    }

    /** Ends the token's task with {@code error} and {@code cause}. */
    public Answer fail(String token, String error, String cause) {
        return update(token, t -> t.ended(QueuedTask.Status.FAILED, null, error, cause));
    }

    private Answer update(String token, java.util.function.UnaryOperator<QueuedTask> change) {
        Optional<String[]> parts = parse(token);
        if (parts.isEmpty()) return Answer.unknown("no task has the token " + token);
        String id = parts.get()[0];
        Optional<Versioned> v = store.getVersioned(NAMESPACE, id);
        if (v.isEmpty())
            return store.get(ENDED, id).isPresent()
                    ? Answer.stale("the task " + id + " has ended: this token's lease is over")
                    : Answer.unknown("no task has the token " + token);
        QueuedTask t = read(v.get().value());
        if (!parts.get()[1].equals(t.lease()) || t.status() != QueuedTask.Status.LEASED)
            return Answer.stale("the task " + id + " is " + t.status()
                    + (t.status() == QueuedTask.Status.LEASED ? " under another lease" : "")
                    + ": this token's lease is over");
        if (t.leaseExpired(now()))
            return Answer.stale("the lease of task " + id + " ran out at " + t.leaseUntil()
                    + " (no heartbeat within HeartbeatSeconds=" + t.heartbeatSeconds() + ")");
        QueuedTask after = change.apply(t);
        if (!put(after, v.get().version()))
            return Answer.stale("the task " + id + " changed meanwhile: this token's lease is over");
        changed();
        return Answer.done(after);
    }

    /**
     * Waits until the task {@code id} ends and answers it; a lease that runs out on the way ends it
     * {@code TIMED_OUT} with {@code States.HeartbeatTimeout}.
     *
     * @throws IllegalStateException when there is no such task
     */
    public QueuedTask awaitEnd(String id) throws InterruptedException {
        return awaitEnd(id, null).orElseThrow();
    }

    /**
     * As {@link #awaitEnd(String)}, but returns empty once {@code until} (on this queue's clock) has come without
     * an end (null: waits for ever).
     */
    public Optional<QueuedTask> awaitEnd(String id, Instant until) throws InterruptedException {
        TaskIndex.Watch watch = index.watch(id);
        try {
            while (true) {
                long seen = watch.changes();
                Optional<Versioned> v = store.getVersioned(NAMESPACE, id);
                if (v.isEmpty()) throw new IllegalStateException("no task " + id + " is queued in " + store.describe());
                QueuedTask t = read(v.get().value());
                if (t.status().finished()) return Optional.of(t);
                if (until != null && !now().isBefore(until)) return Optional.empty();
                if (t.leaseExpired(now())) {
                    QueuedTask timedOut = t.ended(
                            QueuedTask.Status.TIMED_OUT,
                            null,
                            ErrorNames.HEARTBEAT_TIMEOUT,
                            "no heartbeat from worker " + t.worker() + " within HeartbeatSeconds="
                                    + t.heartbeatSeconds());
                    if (put(timedOut, v.get().version())) return Optional.of(timedOut);
                    continue;
                }
                // the store is read again only when the index has news of this task (this process's writes at
                // once, other processes' with a refresh) or its lease or the deadline may have run out: thousands
                // of waiting tasks do not each read the store on every change of the queue
                Instant leaseUntil = t.leaseUntil();
                // with neither a lease nor a deadline to run out, only news can change the task: no need to look at
                // the clock often (its claim, by this process, wakes the watch; a refresh would too)
                long waitNanos = leaseUntil == null && until == null
                        ? Math.max(refreshNanos, RECHECK.toNanos())
                        : RECHECK.toNanos();
                while (watch.changes() == seen
                        && (until == null || now().isBefore(until))
                        && (leaseUntil == null || now().isBefore(leaseUntil))) {
                    watch.await(waitNanos, seen);
                    refreshIfDue();
                }
            }
        } finally {
            index.unwatch(id, watch);
        }
    }

    /** Refreshes the index when a refresh is due and no claim is under way (which would refresh it itself). */
    private void refreshIfDue() {
        if (index.loaded() && System.nanoTime() - refreshedAt < refreshNanos || !claiming.tryLock()) return;
        try {
            if (!index.loaded() || System.nanoTime() - refreshedAt >= refreshNanos) refresh();
        } finally {
            claiming.unlock();
        }
    }

    private long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} for a change after generation {@code seen} (at once if one came meanwhile). */
    private void await(long nanos, long seen) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (generation == seen && left > 0) left = changed.awaitNanos(left);
        } finally {
            lock.unlock();
        }
    }

    private boolean put(QueuedTask t, long expected) {
        String json = write(t);
        try {
            store.transaction()
                    .expectVersion(NAMESPACE, t.id(), expected)
                    .put(NAMESPACE, t.id(), json)
                    .commit();
            index.wrote(t, json);
            return true;
        } catch (StateConflictException e) {
            return false;
        }
    }

    /** The token of the lease {@code secret} on task {@code id}. */
    static String token(String id, String secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8)) + "."
                + secret;
    }

    private static Optional<String[]> parse(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        try {
            String id = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            if (id.isEmpty() || id.length() > 200) return Optional.empty();
            return Optional.of(new String[] {id, token.substring(dot + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A task taken by a worker, with the token that answers for it. */
    public record Lease(String token, QueuedTask task) {}

    /** What a heartbeat or completion did. */
    public record Answer(Kind kind, String message, QueuedTask task) {
        public enum Kind {
            /** Done: the task is the new state. */
            DONE,
            /** No task has the token (404). */
            UNKNOWN,
            /** The token's lease is over: nothing was changed (409). */
            STALE
        }

        static Answer done(QueuedTask t) {
            return new Answer(Kind.DONE, "ok", t);
        }

        static Answer unknown(String why) {
            return new Answer(Kind.UNKNOWN, why, null);
        }

        static Answer stale(String why) {
            return new Answer(Kind.STALE, why, null);
        }
    }

    static String write(QueuedTask t) {
        try {
            return MAPPER.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task did not serialise: " + e.getOriginalMessage(), e);
        }
    }

    static QueuedTask read(String json) {
        try {
            return MAPPER.readValue(json, QueuedTask.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a task record of " + NAMESPACE + " does not read: " + e.getOriginalMessage(), e);
        }
    }
}
