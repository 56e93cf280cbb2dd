package io.dataflare.server.access;

/**
 * A token bucket's shape: {@code perSecond} requests a second on average, bursts of up to {@code burst}.
 *
 * @param perSecond the refill rate (requests per second, &gt; 0)
 * @param burst     the bucket's size (&ge; 1)
 */
public record RateLimit(double perSecond, long burst) {
    public RateLimit {
        if (!(perSecond > 0) || burst < 1)
            throw new IllegalArgumentException("a rate limit needs per_second > 0 and burst >= 1");
    }
}
