package io.dataflare.engine.runtime;

import io.dataflare.api.processor.Processor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indirection that lets a running processor stage switch plugin versions: a slot per instance where
 * a new, already created processor waits until its worker reaches the next batch boundary and adopts it
 * (the batch in flight finishes on the old one). Creating the instances before publishing keeps the
 * switch itself to a reference swap; the worker closes the old instance right after.
 */
final class StageBinding {
    private static final Logger LOG = LoggerFactory.getLogger(StageBinding.class);
    /** In a slot: the worker has exited; anything published after that is closed at once. */
    private static final Pending EXITED = new Pending(null, null, null);

    private final String stage;
    private final AtomicReferenceArray<Pending> slots;

    StageBinding(String stage, int instances) {
        this.stage = stage;
        this.slots = new AtomicReferenceArray<>(instances);
    }

    /** A processor waiting for its worker, and the switch it belongs to. */
    record Pending(Processor processor, String label, Switch owner) {}

    /** One switch of all the stage's instances; completes when every instance adopted or dropped its processor. */
    static final class Switch {
        final String from;
        final String to;
        private final AtomicInteger remaining;
        private final AtomicInteger adopted = new AtomicInteger();
        private final AtomicLong maxPauseNanos = new AtomicLong();
        final CompletableFuture<SwitchResult> done = new CompletableFuture<>();
        private final String stage;

        Switch(String stage, String from, String to, int instances) {
            this.stage = stage;
            this.from = from;
            this.to = to;
            this.remaining = new AtomicInteger(instances);
        }

        void adopted(long pauseNanos) {
            adopted.incrementAndGet();
            maxPauseNanos.accumulateAndGet(pauseNanos, Math::max);
            countDown();
        }

        void dropped() {
            countDown();
        }

        private void countDown() {
            if (remaining.decrementAndGet() == 0) {
                done.complete(new SwitchResult(stage, from, to, adopted.get(), maxPauseNanos.get(), "processor"));
            }
        }
    }

    int instances() {
        return slots.length();
    }

    /** Offers one new processor per instance; a processor an earlier switch left unadopted is closed. */
    Switch publish(Processor[] processors, String from, String to) {
        Switch s = new Switch(stage, from, to, processors.length);
        for (int i = 0; i < processors.length; i++) {
            Pending p = new Pending(processors[i], to, s);
            Pending prev = slots.getAndUpdate(i, cur -> cur == EXITED ? EXITED : p);
            if (prev == EXITED) {
                drop(p);
            } else if (prev != null) {
                drop(prev);
            }
        }
        return s;
    }

    /** What instance {@code i} should switch to, or null. */
    Pending take(int i) {
        Pending p = slots.get(i);
        if (p == null || p == EXITED) return null;
        return slots.compareAndSet(i, p, null) ? p : null;
    }

    /** Instance {@code i} has exited: a processor still waiting for it is closed. */
    void exited(int i) {
        Pending p = slots.getAndSet(i, EXITED);
        if (p != null && p != EXITED) drop(p);
    }

    private void drop(Pending p) {
        try {
            p.processor().close();
        } catch (Exception e) {
            LOG.warn("stage '{}': closing an unused {} instance failed: {}", stage, p.label(), e.toString());
        }
        p.owner().dropped();
    }
}
