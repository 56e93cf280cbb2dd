package io.dataflare.engine.runtime.scale;

/**
 * How loaded a stage is, from 0 to 1, over its last batches: {@code 0.5 x busy/total + 0.3 x min(queued rows /
 * 1000, 1) + 0.2 x min(avg latency / 100 ms, 1)}. busy/total is the time the instances spent in the plugin over
 * the time they had since the oldest batch of the window began (so a stage that stops receiving batches cools
 * down), queued rows are the rows waiting in its input now, and the latency is a batch's time in the plugin.
 * Thread-safe: every instance records its batches here.
 */
public final class LoadRate {
    /** Queued rows at which the queue term is full. */
    static final double FULL_QUEUE_ROWS = 1000;
    /** Batch latency at which the latency term is full. */
    static final double FULL_LATENCY_MS = 100;

    private final long[] starts;
    private final long[] busy;
    private int size;
    private int next;

    /** A window of the last {@code batches} batches. */
    public LoadRate(int batches) {
        if (batches < 1) throw new IllegalArgumentException("window must hold at least one batch");
        this.starts = new long[batches];
        this.busy = new long[batches];
    }

    /** The formula itself: {@code busyFraction} is clamped to [0, 1]. */
    public static double of(double busyFraction, long queuedRows, double avgLatencyMs) {
        double b = Math.max(0, Math.min(1, busyFraction));
        return 0.5 * b
                + 0.3 * Math.min(Math.max(0, queuedRows) / FULL_QUEUE_ROWS, 1)
                + 0.2 * Math.min(Math.max(0, avgLatencyMs) / FULL_LATENCY_MS, 1);
    }

    /** A batch ended at {@code endNanos} after {@code busyNanos} in the plugin. */
    public synchronized void batch(long endNanos, long busyNanos) {
        starts[next] = endNanos - busyNanos;
        busy[next] = busyNanos;
        next = (next + 1) % starts.length;
        if (size < starts.length) size++;
    }

    /** Forgets the batches (after a rescale, the new instances are measured afresh). */
    public synchronized void clear() {
        size = 0;
        next = 0;
    }

    /** Batches in the window. */
    public synchronized int batches() {
        return size;
    }

    /** The load rate at {@code nowNanos} of {@code instances} instances with {@code queuedRows} waiting. */
    public synchronized double at(long nowNanos, int instances, long queuedRows) {
        return of(busyFraction(nowNanos, instances), queuedRows, averageLatencyMs());
    }

    /** Time in the plugin over the instances' time since the window's oldest batch began; 0 without batches. */
    public synchronized double busyFraction(long nowNanos, int instances) {
        if (size == 0) return 0;
        long oldest = Long.MAX_VALUE;
        long sum = 0;
        for (int i = 0; i < size; i++) {
            oldest = Math.min(oldest, starts[i]);
            sum += busy[i];
        }
        long span = nowNanos - oldest;
        if (span <= 0) return 1;
        return Math.min(1, (double) sum / ((double) span * Math.max(1, instances)));
    }

    /** The mean time in the plugin of the window's batches, in milliseconds; 0 without batches. */
    public synchronized double averageLatencyMs() {
        if (size == 0) return 0;
        long sum = 0;
        for (int i = 0; i < size; i++) sum += busy[i];
        return sum / (double) size / 1e6;
    }
}
