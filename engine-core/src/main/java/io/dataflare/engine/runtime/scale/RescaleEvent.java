package io.dataflare.engine.runtime.scale;

/**
 * A stage's instances changed.
 *
 * @param stage       the stage
 * @param from        instances before
 * @param to          instances after
 * @param reason      {@code auto} (the autoscaler) or {@code manual} (an operator)
 * @param loadRate    the load rate that decided it (the last one measured, for a manual change)
 * @param movedGroups key groups that changed instance
 * @param pauseNanos  how long the run was held at the barrier
 */
public record RescaleEvent(
        String stage, int from, int to, String reason, double loadRate, int movedGroups, long pauseNanos) {}
