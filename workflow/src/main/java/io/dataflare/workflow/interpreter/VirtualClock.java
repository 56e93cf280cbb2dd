package io.dataflare.workflow.interpreter;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock whose time jumps forward to whatever is waited for: Waits and retry delays take no real time. */
public final class VirtualClock implements WorkflowClock {
    private final AtomicReference<Instant> now;

    public VirtualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public void sleepUntil(Instant time) {
        now.accumulateAndGet(time, (a, b) -> a.isAfter(b) ? a : b);
    }
}
