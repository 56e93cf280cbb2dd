package io.dataflare.engine.runtime;

/**
 * How a running stage switched plugin versions ({@link PipelineRun#rebind}).
 *
 * @param stage          the stage
 * @param from           the plugin before, as {@code id@version}
 * @param to             the plugin after
 * @param adopted        how many instances switched (the others ended before their next batch)
 * @param maxPauseNanos  the longest time an instance spent switching between two batches (swap and close of
 *                       the old instance)
 */
public record SwitchResult(String stage, String from, String to, int adopted, long maxPauseNanos) {
    /** The longest pause in milliseconds. */
    public double maxPauseMillis() {
        return maxPauseNanos / 1e6;
    }
}
