package io.dataflare.engine.runtime.scale;

/**
 * An elastic stage now.
 *
 * @param stage     the stage
 * @param instances instances in use
 * @param min       the fewest allowed
 * @param max       the most allowed (at most the declared {@code max}, which are the instances created)
 * @param auto      whether the autoscaler is on
 * @param loadRate  the load rate now
 */
public record ElasticStatus(String stage, int instances, int min, int max, boolean auto, double loadRate) {}
