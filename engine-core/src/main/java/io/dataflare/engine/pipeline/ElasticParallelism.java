package io.dataflare.engine.pipeline;

/**
 * A processor's elastic parallelism ({@code parallelism: {min, max, auto, ...}}): it runs between {@code min}
 * and {@code max} instances, starting with {@code initial}; with {@code auto} the autoscaler moves it within
 * those bounds by load, and an operator can change it on a running task either way.
 *
 * @param min       the fewest instances (default 1)
 * @param max       the most instances; every one is created at start and the ones not in use own no key
 *                  group, so they receive nothing
 * @param initial   instances at start, and the autoscaler's floor when scaling down (default {@code min})
 * @param auto      whether the autoscaler changes the instances (default false)
 * @param autoscale the autoscaler's thresholds, windows and steps
 */
public record ElasticParallelism(int min, int max, int initial, boolean auto, Autoscale autoscale) {
    /**
     * How the autoscaler decides.
     *
     * @param upThreshold     scale up when the load rate stays above this (default 0.8)
     * @param downThreshold   scale down when it stays below this (default 0.3)
     * @param upAfterMs       for this long (default 30 s)
     * @param downAfterMs     for this long (default 5 min)
     * @param windowBatches   the batches the load rate is computed over (default 100)
     * @param checkIntervalMs how often the load rate is looked at (default 1 s)
     * @param upStep          instances added while there are fewer than {@code upPercentFrom} (default 2)
     * @param upPercent       percent added from {@code upPercentFrom} instances on (default 20)
     * @param upPercentFrom   where the step becomes a percentage (default 10)
     * @param downStep        instances removed per step (default 1)
     */
    public record Autoscale(
            double upThreshold,
            double downThreshold,
            long upAfterMs,
            long downAfterMs,
            int windowBatches,
            long checkIntervalMs,
            int upStep,
            int upPercent,
            int upPercentFrom,
            int downStep) {
        /** The defaults. */
        public static final Autoscale DEFAULTS = new Autoscale(0.8, 0.3, 30_000, 300_000, 100, 1000, 2, 20, 10, 1);

        /** The instances after one step up from {@code current}, at most {@code max}. */
        public int up(int current, int max) {
            int step = current < upPercentFrom ? upStep : Math.max(1, (int) Math.ceil(current * upPercent / 100.0));
            return Math.min(max, current + step);
        }

        /** The instances after one step down from {@code current}, at least {@code floor}. */
        public int down(int current, int floor) {
            return Math.max(floor, current - downStep);
        }
    }
}
