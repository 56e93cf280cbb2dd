package io.dataflare.engine.runtime;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Ends a run whose sources went quiet ({@code runtime.stop_when_idle_ms}): checked on a timer, it closes the
 * source gate once the sources' activity count has not moved for the idle time. A paused run is not idle: the
 * quiet time starts over when it resumes. Nor is a run with batches still on their way: a source waiting on a
 * slower stage (backpressure) produces nothing meanwhile, but it is not quiet.
 */
final class IdleWatch {
    private final long idleNanos;
    private final LongSupplier activity;
    private final BooleanSupplier busy;
    private final SourceGate gate;
    private long lastActivity = -1;
    private long quietSince = System.nanoTime();

    /**
     * @param idleMs   how long the sources may stay quiet
     * @param activity a count that grows whenever a source produces something
     * @param busy     whether batches are queued or being handled anywhere in the run
     * @param gate     the run's source gate, stopped once idle
     */
    IdleWatch(long idleMs, LongSupplier activity, BooleanSupplier busy, SourceGate gate) {
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        this.activity = activity;
        this.busy = busy;
        this.gate = gate;
    }

    /** One tick of the timer (one thread at a time). */
    void check() {
        long now = System.nanoTime();
        long a = activity.getAsLong();
        if (a != lastActivity || gate.paused() || busy.getAsBoolean()) {
            lastActivity = a;
            quietSince = now;
        } else if (now - quietSince >= idleNanos && !gate.stopRequested()) {
            gate.stopIdle();
        }
    }
}
