package io.dataflare.polyglot.sandbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces per-call time limits. {@link #arm} schedules a stop at the deadline; when it fires,
 * {@link Context#interrupt} stops the guest and keeps the context usable; if the guest does not stop within
 * {@link #GRACE} (it is in host code, or ignores interrupts), the context is cancelled with
 * {@code close(true)} and must be replaced. One daemon thread per host schedules; stops run on virtual
 * threads so that one slow stop does not delay another.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    /** How long an interrupt may take before the context is cancelled instead. */
    static final Duration GRACE = Duration.ofMillis(500);

    private final String threadName;
    private ScheduledExecutorService scheduler;

    public Watchdog(String threadName) {
        this.threadName = threadName;
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name(threadName).daemon(true).unstarted(r));
        }
        return scheduler;
    }

    /** Starts timing a call on {@code context}; close the returned guard when the call returns. */
    public Guard arm(Context context, long timeoutMs) {
        Guard g = new Guard(context, timeoutMs);
        g.future = scheduler().schedule(() -> {
            Thread.ofVirtual().name(threadName + "-stop").start(g::fire);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        return g;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    /** One timed call. */
    public static final class Guard implements AutoCloseable {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRED = 2;

        private final Context context;
        private final long timeoutMs;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;

        private Guard(Context context, long timeoutMs) {
            this.context = context;
            this.timeoutMs = timeoutMs;
        }

        private void fire() {
            if (!state.compareAndSet(RUNNING, FIRED)) return;
            try {
                context.interrupt(GRACE);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("a guest call ignored the interrupt for {} ms: cancelling its context", GRACE.toMillis());
                cancelled = true;
                try {
                    context.close(true);
                } catch (RuntimeException ce) {
                    LOG.debug("cancel failed", ce);
                }
            } catch (RuntimeException e) {
                LOG.debug("interrupt failed", e); // the context closed meanwhile
            } finally {
                stopped.countDown();
            }
        }

        /** Whether the deadline passed and the watchdog stopped the call. */
        public boolean fired() {
            return state.get() == FIRED;
        }

        /** Whether the watchdog had to cancel (close) the context. */
        public boolean cancelledContext() {
            return cancelled;
        }

        public long timeoutMs() {
            return timeoutMs;
        }

        /** Ends the call; if the watchdog fired, waits until it is done with the context. */
        @Override
        public void close() {
            if (state.compareAndSet(RUNNING, DONE)) {
                ScheduledFuture<?> f = future;
                if (f != null) f.cancel(false);
                return;
            }
            boolean interrupted = false;
            while (true) {
                try {
                    stopped.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
