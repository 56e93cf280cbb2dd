package io.dataflare.bench.stock;

import java.time.Instant;

/**
 * One time base for the sender and the probe: {@link System#nanoTime()} mapped once onto the wall clock, so a tick's
 * {@code ts} and the instant its output row arrives are read from the same monotonic clock (a wall-clock step during
 * the run changes no latency).
 */
final class Clock {
    private final long originNanos = System.nanoTime();
    private final Instant origin = Instant.now();

    long nanos() {
        return System.nanoTime();
    }

    Instant instant(long nanos) {
        return origin.plusNanos(nanos - originNanos);
    }

    /** The {@link #nanos()} of an instant. */
    long nanosOf(Instant t) {
        return originNanos + java.time.Duration.between(origin, t).toNanos();
    }
}
