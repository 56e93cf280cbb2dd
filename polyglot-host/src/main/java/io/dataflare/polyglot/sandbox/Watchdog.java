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
 * Enforces per-call time limits, and optionally a per-call allocation budget (the bytes the calling thread
 * allocates, polled: GraalVM Community cannot cap a context's heap, this stops a call that allocates fast
 * before it fills the JVM's). {@link #arm} schedules a stop at the deadline; when it fires,
 * {@link Context#interrupt} stops the guest and keeps the context usable; if the guest does not stop within
 * {@link #GRACE} (it is in host code, or ignores interrupts), the context is cancelled with
 * {@code close(true)} and must be replaced. One daemon thread per host schedules; stops run on virtual
 * threads so that one slow stop does not delay another.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    /** How long an interrupt may take before the context is cancelled instead. */
    static final Duration GRACE = Duration.ofMillis(500);
    /** How often a call's allocations are checked. */
    static final long POLL_MS = 10;

    private static final com.sun.management.ThreadMXBean ALLOCATIONS = allocations();

    private final String threadName;
    private ScheduledExecutorService scheduler;

    public Watchdog(String threadName) {
        this.threadName = threadName;
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().name(threadName).daemon(true).unstarted(r));
        }
        return scheduler;
    }

    /** Starts timing a call on {@code context} (no allocation budget); close the guard when the call returns. */
    public Guard arm(Context context, long timeoutMs) {
        return arm(context, timeoutMs, 0);
    }

    /**
     * Starts timing a call that the current thread makes on {@code context}; when {@code allocLimitBytes} is
     * positive, the bytes this thread allocates during the call are checked every {@link #POLL_MS} ms too.
     * Close the returned guard when the call returns.
     */
    public Guard arm(Context context, long timeoutMs, long allocLimitBytes) {
        Guard g = new Guard(context, timeoutMs, allocLimitBytes);
        ScheduledExecutorService s = scheduler();
        g.future = s.schedule(() -> g.stop(Guard.Reason.TIMEOUT), timeoutMs, TimeUnit.MILLISECONDS);
        if (allocLimitBytes > 0 && ALLOCATIONS != null) {
            g.poll = s.scheduleAtFixedRate(g::checkAllocation, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        }
        return g;
    }

    /** Whether this JVM can count a thread's allocations (HotSpot can). */
    public static boolean countsAllocations() {
        return ALLOCATIONS != null;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    private static com.sun.management.ThreadMXBean allocations() {
        try {
            if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                if (!t.isThreadAllocatedMemoryEnabled()) t.setThreadAllocatedMemoryEnabled(true);
                return t;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no per-thread allocation counts: alloc_limit_mb is not enforced", e);
        }
        return null;
    }

    /** One timed call. */
    public static final class Guard implements AutoCloseable {
        /** Why the watchdog stopped a call. */
        public enum Reason {
            TIMEOUT,
            ALLOCATION
        }

        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int FIRED = 2;

        private final Context context;
        private final long timeoutMs;
        private final long allocLimit;
        private final long thread = Thread.currentThread().threadId();
        private final long allocStart;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile ScheduledFuture<?> future;
        private volatile ScheduledFuture<?> poll;
        private volatile boolean cancelled;
        private volatile Reason reason;

        private Guard(Context context, long timeoutMs, long allocLimit) {
            this.context = context;
            this.timeoutMs = timeoutMs;
            this.allocLimit = allocLimit;
            this.allocStart = allocLimit > 0 && ALLOCATIONS != null ? ALLOCATIONS.getCurrentThreadAllocatedBytes() : 0;
        }

        private void checkAllocation() {
            long now = ALLOCATIONS.getThreadAllocatedBytes(thread);
            if (now - allocStart > allocLimit) stop(Reason.ALLOCATION);
        }

        /** Stops the call (from the scheduler thread: the stop itself runs on a virtual thread). */
        private void stop(Reason why) {
            if (!state.compareAndSet(RUNNING, FIRED)) return;
            reason = why;
            cancelTimers();
            Thread.ofVirtual().name("df-guest-stop").start(this::fire);
        }

        private void cancelTimers() {
            ScheduledFuture<?> f = future;
            if (f != null) f.cancel(false);
            ScheduledFuture<?> p = poll;
            if (p != null) p.cancel(false);
        }

        private void fire() {
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

        /** Whether the watchdog stopped the call (see {@link #reason()}). */
        public boolean fired() {
            return state.get() == FIRED;
        }

        /** Why the watchdog stopped the call, or null. */
        public Reason reason() {
            return reason;
        }

        /** The allocation budget of the call in bytes (0: none). */
        public long allocLimitBytes() {
            return allocLimit;
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
                cancelTimers();
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
