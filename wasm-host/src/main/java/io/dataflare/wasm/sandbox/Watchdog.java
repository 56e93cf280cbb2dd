package io.dataflare.wasm.sandbox;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces per-call time limits by interrupting the calling thread: Chicory checks the interrupt flag
 * in loops and calls, in both the interpreter and compiled code, and then throws. One daemon timer
 * thread serves every plugin of a host.
 */
public final class Watchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    /** A watchdog with its own timer thread. */
    public Watchdog() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "df-wasm-watchdog");
            t.setDaemon(true);
            return t;
        });
        // cancelled tickets are the common case (the call ended in time): do not let them pile up
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts timing a call made by the current thread; close the ticket when the call returns. */
    public Ticket arm(long timeoutMs) {
        Ticket t = new Ticket(Thread.currentThread());
        t.future = timer.schedule(t::fire, timeoutMs, TimeUnit.MILLISECONDS);
        return t;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One timed call. */
    public static final class Ticket implements AutoCloseable {
        private final Thread thread;
        private ScheduledFuture<?> future;
        private boolean done;
        private boolean fired;

        private Ticket(Thread thread) {
            this.thread = thread;
        }

        private synchronized void fire() {
            // under the lock: once close() has run, the thread is never interrupted for this call
            if (!done) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Whether the time limit was hit (the thread was interrupted for it). */
        public synchronized boolean fired() {
            return fired;
        }

        /** Ends the call; clears the interrupt this ticket caused so it cannot leak into the engine. */
        @Override
        public void close() {
            boolean clear;
            synchronized (this) {
                done = true;
                clear = fired;
            }
            future.cancel(false);
            if (clear) Thread.interrupted();
        }
    }
}
