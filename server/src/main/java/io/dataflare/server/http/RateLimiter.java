package io.dataflare.server.http;

import io.dataflare.server.access.RateLimit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per caller name: each request takes one token; buckets refill continuously at the caller's
 * rate up to its burst. A caller without a rate limit is never limited.
 */
final class RateLimiter {
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes a token for {@code caller}; {@link RequestException} 429 with the seconds to wait when none is left. */
    void acquire(Caller caller) {
        RateLimit limit = caller.rateLimit();
        if (limit == null) return;
        Bucket b = buckets.compute(
                caller.name(), (k, old) -> old != null && old.limit.equals(limit) ? old : new Bucket(limit));
        long waitSeconds = b.take(System.nanoTime());
        if (waitSeconds > 0)
            throw RequestException.tooManyRequests(
                    "rate limit of '" + caller.name() + "' exceeded (" + limit.perSecond() + " requests/s, bursts of "
                            + limit.burst() + "): retry in " + waitSeconds + " s",
                    waitSeconds);
    }

    private static final class Bucket {
        final RateLimit limit;
        double tokens;
        long last;

        Bucket(RateLimit limit) {
            this.limit = limit;
            this.tokens = limit.burst();
            this.last = System.nanoTime();
        }

        /** 0 when a token was taken, else the whole seconds until one is there (at least 1). */
        synchronized long take(long now) {
            tokens = Math.min(limit.burst(), tokens + (now - last) / 1e9 * limit.perSecond());
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond()));
        }
    }
}
