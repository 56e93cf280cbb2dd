package io.dataflare.engine.runtime;

/**
 * How a running stage switched plugin versions ({@link PipelineRun#rebind}, {@link PipelineRun#switchAtBarrier}).
 *
 * @param stage          the stage
 * @param from           the plugin before, as {@code id@version}
 * @param to             the plugin after
 * @param adopted        how many instances switched (the others ended before their next batch)
 * @param maxPauseNanos  a processor: the longest time an instance spent switching between two batches (swap and
 *                       close of the old instance); a source, sink or policy: how long the whole pipeline was held
 *                       at the barrier (from asking the sources to park to letting them go)
 * @param kind           what switched: {@code processor}, {@code source}, {@code sink}, {@code retry policy},
 *                       {@code error policy} or {@code key router}
 */
public record SwitchResult(String stage, String from, String to, int adopted, long maxPauseNanos, String kind) {
    /** The longest pause in milliseconds. */
    public double maxPauseMillis() {
        return maxPauseNanos / 1e6;
    }
}
