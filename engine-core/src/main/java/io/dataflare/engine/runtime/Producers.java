package io.dataflare.engine.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The producers still sending into a channel. One may join for a while (dead letters put back into the stage) as
 * long as one is still sending; once the last is done, the end of input is on its way and no one joins again.
 */
final class Producers {
    private final AtomicInteger sending;

    Producers(int sending) {
        this.sending = new AtomicInteger(sending);
    }

    /** One more producer, unless the input already ended: false then. */
    boolean join() {
        for (int n = sending.get(); n > 0; n = sending.get()) {
            if (sending.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    /** One producer is done; true when it was the last. */
    boolean done() {
        return sending.decrementAndGet() == 0;
    }
}
