package io.dataflare.api.state;

/**
 * A timer that fired: the key it was registered for (as the state API gives keys back: integral numbers as
 * {@code Long}), its time in epoch milliseconds and its domain. A fired timer is gone: register it again to
 * fire again.
 *
 * @since 1.1.0
 */
public record FiredTimer(Object key, long time, TimeDomain domain) {}
