package io.dataflare.engine.runtime.scale;

/**
 * What an operator changes of an elastic stage on a running pipeline; null fields stay as they are.
 *
 * @param instances the instances to run now (within the bounds, once they changed)
 * @param min       the new fewest
 * @param max       the new most (at most the declared {@code max})
 * @param auto      turns the autoscaler on or off
 */
public record ParallelismChange(Integer instances, Integer min, Integer max, Boolean auto) {}
