package io.dataflare.workflow.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order in which a claim tries a queue's ready tasks: by level, highest first; within a level the groups take
 * turns (round-robin, least recently served group first) and each group offers its tasks oldest first.
 *
 * <p>A task's level is its priority plus one for every {@code ageStep} it has waited since it became ready (ageing),
 * but never more than the highest priority among the queue's ready tasks. Ageing is what bounds a task's wait under
 * a steady stream of higher-priority work: after {@code (P - p) * ageStep} a task of priority {@code p} is on the
 * level of the highest priority {@code P} there is, where it is older than all that arrived after it. The cap keeps
 * ageing from reordering tasks of one priority among themselves: tasks that all share a priority are on one level,
 * so a backlog of one group that merely waited longer does not shut out another group's new tasks.
 *
 * <p>The turns are counted per queue by this process (processes sharing a store each rotate their own claims).
 * Not thread-safe: the queue calls it under its claim lock.
 */
final class DispatchPolicy {
    /** Oldest first: the earliest ready, then the first enqueued, then by id. */
    static final Comparator<QueuedTask> OLDEST_FIRST = Comparator.comparing(QueuedTask::readyAt)
            .thenComparing(QueuedTask::enqueuedAt)
            .thenComparing(QueuedTask::id);

    private Duration ageStep;
    /** Queue to group to the number of the claim that last served the group. */
    private final Map<String, Map<String, Long>> lastServed = new HashMap<>();

    private long claims;

    DispatchPolicy(Duration ageStep) {
        ageBy(ageStep);
    }

    /** @param step one level more per this much waiting (null or zero: no ageing) */
    void ageBy(Duration step) {
        if (step != null && step.isNegative())
            throw new IllegalArgumentException("an ageing step is zero (none) or positive: " + step);
        this.ageStep = step == null || step.isZero() ? null : step;
    }

    Duration ageStep() {
        return ageStep;
    }

    /** The level of {@code t} at {@code now}, when the highest priority among the ready tasks is {@code cap}. */
    long level(QueuedTask t, Instant now, long cap) {
        if (ageStep == null || t.priority() >= cap) return t.priority();
        Duration waited = Duration.between(t.readyAt(), now);
        if (waited.isNegative()) return t.priority();
        long aged = waited.dividedBy(ageStep);
        return Math.min(cap, t.priority() + aged);
    }

    /**
     * The ready tasks of {@code queue} in the order a claim should try them, computed lazily: the first candidates
     * (the oldest task of each group on the top level, in turn order) take a few passes over the tasks; the whole
     * order is sorted only when a claim gets past them (its candidates were taken by another process meanwhile).
     */
    Iterable<QueuedTask> order(String queue, List<QueuedTask> ready, Instant now) {
        if (ready.isEmpty()) return List.of();
        return () -> new java.util.Iterator<>() {
            private List<QueuedTask> first = heads(queue, ready, now);
            private List<QueuedTask> rest;
            private int next;

            @Override
            public boolean hasNext() {
                if (first != null && next < first.size()) return true;
                if (rest == null) rest = fullOrder(queue, ready, now);
                return next < rest.size();
            }

            @Override
            public QueuedTask next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                // the full order begins with the same heads: it goes on where they end
                return first != null && next < first.size() ? first.get(next++) : rest.get(next++);
            }
        };
    }

    /** The first turn of the top level: each group's oldest task there, the groups in turn order. */
    private List<QueuedTask> heads(String queue, List<QueuedTask> ready, Instant now) {
        long cap = Long.MIN_VALUE;
        for (QueuedTask t : ready) cap = Math.max(cap, t.priority());
        long top = Long.MIN_VALUE;
        for (QueuedTask t : ready) top = Math.max(top, level(t, now, cap));
        Map<String, QueuedTask> oldest = new HashMap<>();
        for (QueuedTask t : ready)
            if (level(t, now, cap) == top)
                oldest.merge(t.group(), t, (a, b) -> OLDEST_FIRST.compare(a, b) <= 0 ? a : b);
        Map<String, Long> served = lastServed.getOrDefault(queue, Map.of());
        List<QueuedTask> out = new ArrayList<>(oldest.values());
        out.sort(Comparator.<QueuedTask>comparingLong(t -> served.getOrDefault(t.group(), -1L))
                .thenComparing(OLDEST_FIRST));
        return out;
    }

    /** The whole order: by level, highest first; within a level the groups in turn, each oldest first. */
    List<QueuedTask> fullOrder(String queue, List<QueuedTask> ready, Instant now) {
        if (ready.isEmpty()) return List.of();
        long cap = ready.stream().mapToLong(QueuedTask::priority).max().orElseThrow();
        // level (highest first) to group to its tasks
        TreeMap<Long, Map<String, List<QueuedTask>>> levels = new TreeMap<>(Comparator.reverseOrder());
        for (QueuedTask t : ready)
            levels.computeIfAbsent(level(t, now, cap), l -> new HashMap<>())
                    .computeIfAbsent(t.group(), g -> new ArrayList<>())
                    .add(t);
        Map<String, Long> served = lastServed.getOrDefault(queue, Map.of());
        List<QueuedTask> out = new ArrayList<>(ready.size());
        for (Map<String, List<QueuedTask>> groups : levels.values()) {
            groups.values().forEach(tasks -> tasks.sort(OLDEST_FIRST));
            List<List<QueuedTask>> turns = new ArrayList<>(groups.values());
            // never served before goes first (-1), then the least recently served; ties: whose oldest task is older
            turns.sort(Comparator.<List<QueuedTask>>comparingLong(
                            tasks -> served.getOrDefault(tasks.getFirst().group(), -1L))
                    .thenComparing(List::getFirst, OLDEST_FIRST));
            int longest = turns.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < longest; i++)
                for (List<QueuedTask> tasks : turns) if (i < tasks.size()) out.add(tasks.get(i));
        }
        return out;
    }

    /** Records that a claim of {@code queue} took a task of {@code group}: the other groups' turn comes first. */
    void served(String queue, String group) {
        lastServed.computeIfAbsent(queue, q -> new HashMap<>()).put(group, claims++);
    }
}
