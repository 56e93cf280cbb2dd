package io.dataflare.engine.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings a run to a quiet point: every active source parked between two batches and nothing in flight, so
 * every record read has reached the sinks. Checkpoints and version switches of sources, sinks and policies
 * both need that point; they take it one at a time (the source gate has one parking state), so the owner
 * holds the barrier from {@link #enter()} to {@link #leave()}.
 */
final class RunBarrier {
    private final ReentrantLock lock = new ReentrantLock();
    private final SourceGate gate;
    private final InFlight inFlight;

    RunBarrier(SourceGate gate, InFlight inFlight) {
        this.gate = gate;
        this.inFlight = inFlight;
    }

    /** Takes the barrier (waits while a checkpoint or another switch holds it). */
    void enter() throws InterruptedException {
        lock.lockInterruptibly();
    }

    /**
     * Takes the barrier only if it is free now, for a short step that must not overlap a quiet point (a worker
     * counting a timer firing in flight); give it back with {@link #release()}.
     */
    boolean tryHold() {
        return lock.tryLock();
    }

    /** Gives up what {@link #tryHold()} took. */
    void release() {
        lock.unlock();
    }

    /**
     * Parks the sources and waits until nothing is in flight. Returns false when that is not reached by
     * {@code deadlineNanos} ({@link System#nanoTime()}), or the run stops or is cancelled meanwhile; the
     * sources stay parked until {@link #leave()} either way.
     */
    boolean quiesce(long deadlineNanos) throws InterruptedException {
        gate.park();
        if (!gate.awaitParked(deadlineNanos)) return false;
        while (!inFlight.idle()) {
            if (System.nanoTime() - deadlineNanos > 0 || gate.cancelled() || gate.stopRequested()) return false;
            if (Thread.interrupted()) throw new InterruptedException();
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        return true;
    }

    /** Lets the sources go on and gives the barrier up. */
    void leave() {
        try {
            gate.release();
        } finally {
            lock.unlock();
        }
    }
}
