package io.dataflare.engine.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The batches queued or being handled anywhere in a run. A channel counts a batch when it is sent; the
 * worker that takes it counts it done after it has sent its own output, so zero (with the sources
 * parked) means every record read has reached the sinks: the moment a checkpoint can be taken.
 */
final class InFlight {
    private final AtomicLong batches = new AtomicLong();

    void sent(int n) {
        batches.addAndGet(n);
    }

    void done() {
        batches.decrementAndGet();
    }

    boolean idle() {
        return batches.get() == 0;
    }
}
