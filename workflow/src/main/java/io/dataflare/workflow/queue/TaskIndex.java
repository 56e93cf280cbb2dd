package io.dataflare.workflow.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's in-memory view of the queue's tasks, so that a claim does not list and parse every task of the
 * store: the ready tasks per queue and the leased ones (for the concurrency limits), parsed once.
 *
 * <p>It is only a view: the store stays the source of truth and a claim is still a version-checked put there, so a
 * stale entry costs a wasted attempt, never a double lease. This process's own writes are applied at once
 * ({@link #wrote}); what other processes wrote arrives with {@link #refreshed}, a listing of the store. A refresh
 * keeps the entries this process wrote after the listing began (the listing may predate them), and re-parses only
 * records whose text changed.
 *
 * <p>Thread-safe (every method holds the index's monitor).
 */
final class TaskIndex {
    /** Id to the record's text as last seen (listed or written here): unchanged text is not parsed again. */
    private final Map<String, String> raw = new HashMap<>();

    private final Map<String, QueuedTask> tasks = new HashMap<>();
    /** Queue to its READY tasks (also those whose not-before time has not come yet), by id. */
    private final Map<String, Map<String, QueuedTask>> ready = new HashMap<>();
    /** The LEASED tasks of every queue, by id (counted against the concurrency limits while their lease lasts). */
    private final Map<String, QueuedTask> leased = new HashMap<>();
    /** Id to the stamp of this process's last write of it: a listing begun before that write does not undo it. */
    private final Map<String, Long> written = new HashMap<>();

    /** Task id to the watch of those waiting for its end: told of every change of the task the index takes in. */
    private final Map<String, Watch> watches = new java.util.concurrent.ConcurrentHashMap<>();

    private long stamp;
    private boolean loaded;

    /** Counts the changes of one task, for {@link TaskQueue#awaitEnd} (shared by its waiters). */
    static final class Watch {
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.Condition changed = lock.newCondition();
        private long changes;
        private int waiters;

        long changes() {
            lock.lock();
            try {
                return changes;
            } finally {
                lock.unlock();
            }
        }

        void changed() {
            lock.lock();
            try {
                changes++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits up to {@code nanos} for a change after {@code seen} (at once if one came meanwhile). */
        void await(long nanos, long seen) throws InterruptedException {
            lock.lock();
            try {
                long left = nanos;
                while (changes == seen && left > 0) left = changed.awaitNanos(left);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The watch of task {@code id}; give it back with {@link #unwatch}. */
    synchronized Watch watch(String id) {
        Watch w = watches.computeIfAbsent(id, k -> new Watch());
        w.waiters++;
        return w;
    }

    synchronized void unwatch(String id, Watch w) {
        if (--w.waiters == 0) watches.remove(id, w);
    }

    synchronized boolean loaded() {
        return loaded;
    }

    /** This process wrote {@code task} as {@code json} (committed). */
    synchronized void wrote(QueuedTask task, String json) {
        written.put(task.id(), ++stamp);
        set(task.id(), json, task);
    }

    /** This process removed the task {@code id} (committed). */
    synchronized void removed(String id) {
        written.put(id, ++stamp);
        set(id, null, null);
    }

    /** A read of the store found the task {@code id} as {@code json} (null: gone). */
    synchronized void observed(String id, String json) {
        if (json == null) set(id, null, null);
        else if (!json.equals(raw.get(id))) set(id, json, TaskQueue.read(json));
    }

    /** Call before listing the store; hand the result to {@link #refreshed}. */
    synchronized long beginRefresh() {
        return stamp;
    }

    /** The store listed {@code listing} (id to record), begun when {@link #beginRefresh} answered {@code since}. */
    synchronized void refreshed(Map<String, String> listing, long since) {
        for (String id : new ArrayList<>(raw.keySet()))
            if (!listing.containsKey(id) && written.getOrDefault(id, 0L) <= since) set(id, null, null);
        listing.forEach((id, json) -> {
            if (written.getOrDefault(id, 0L) > since || json.equals(raw.get(id))) return;
            set(id, json, TaskQueue.read(json));
        });
        written.values().removeIf(s -> s <= since);
        loaded = true;
    }

    private void set(String id, String json, QueuedTask task) {
        Watch watch = watches.get(id);
        if (watch != null) watch.changed();
        QueuedTask before = tasks.remove(id);
        raw.remove(id);
        if (before != null) {
            Map<String, QueuedTask> q = ready.get(before.queue());
            if (q != null) {
                q.remove(id);
                if (q.isEmpty()) ready.remove(before.queue());
            }
            leased.remove(id);
        }
        if (task == null) return;
        raw.put(id, json);
        tasks.put(id, task);
        if (task.status() == QueuedTask.Status.READY)
            ready.computeIfAbsent(task.queue(), q -> new HashMap<>()).put(id, task);
        else if (task.status() == QueuedTask.Status.LEASED) leased.put(id, task);
    }

    /** What a claim of {@code queue} at {@code now} weighs: the queue's ready tasks and the leases that count. */
    synchronized View view(String queue, Instant now) {
        long leasedInQueue = 0;
        Map<String, Integer> leasedByGroup = new HashMap<>();
        for (QueuedTask t : leased.values()) {
            if (t.leaseExpired(now)) continue;
            if (t.queue().equals(queue)) leasedInQueue++;
            if (!TaskQueue.isCallback(t)) leasedByGroup.merge(t.group(), 1, Integer::sum);
        }
        List<QueuedTask> readyNow = new ArrayList<>();
        for (QueuedTask t : ready.getOrDefault(queue, Map.of()).values())
            if (!t.readyAt().isAfter(now)) readyNow.add(t);
        return new View(readyNow, leasedInQueue, leasedByGroup);
    }

    /** How many tasks of {@code queue} wait (ready now or later) and how many are leased, as this view has them. */
    synchronized TaskQueue.Depth depth(String queue, Instant now) {
        Map<String, QueuedTask> q = ready.getOrDefault(queue, Map.of());
        long readyNow =
                q.values().stream().filter(t -> !t.readyAt().isAfter(now)).count();
        long leasedNow = leased.values().stream()
                .filter(t -> t.queue().equals(queue) && !t.leaseExpired(now))
                .count();
        return new TaskQueue.Depth(q.size(), readyNow, leasedNow);
    }

    record View(List<QueuedTask> ready, long leasedInQueue, Map<String, Integer> leasedByGroup) {}
}
