package io.dataflare.engine.runtime.scale;

import io.dataflare.engine.pipeline.ElasticParallelism;

/**
 * Decides a stage's instances from its load rate, looked at regularly: up one step when the rate stayed above
 * the threshold for the up window, down one step when it stayed below the down threshold for the down window,
 * never above the maximum nor below the floor. Each decision restarts both windows, so the next one is judged
 * on the new instances. Not thread-safe: one scaler thread calls it.
 */
public final class Autoscaler {
    private final ElasticParallelism.Autoscale settings;
    private long aboveSince = -1;
    private long belowSince = -1;

    public Autoscaler(ElasticParallelism.Autoscale settings) {
        this.settings = settings;
    }

    /**
     * The instances the stage should have.
     *
     * @param load     the load rate now
     * @param current  the instances now
     * @param floor    the fewest the autoscaler goes down to
     * @param max      the most
     * @param nowNanos the time of the observation ({@link System#nanoTime()})
     */
    public int decide(double load, int current, int floor, int max, long nowNanos) {
        if (load > settings.upThreshold()) {
            belowSince = -1;
            if (aboveSince < 0) aboveSince = nowNanos;
            if (current < max && nowNanos - aboveSince >= settings.upAfterMs() * 1_000_000L) {
                reset();
                return settings.up(current, max);
            }
        } else if (load < settings.downThreshold()) {
            aboveSince = -1;
            if (belowSince < 0) belowSince = nowNanos;
            if (current > floor && nowNanos - belowSince >= settings.downAfterMs() * 1_000_000L) {
                reset();
                return settings.down(current, floor);
            }
        } else {
            reset();
        }
        return current;
    }

    /** Starts both windows over (after any rescale, the autoscaler's or an operator's). */
    public void reset() {
        aboveSince = -1;
        belowSince = -1;
    }
}
