package io.dataflare.workflow.definition;

import java.util.List;

/**
 * One {@code Retry} entry. The n-th retry (n from 1) waits {@code intervalSeconds * backoffRate^(n-1)} seconds,
 * at most {@code maxDelaySeconds} (when set), and with {@code FULL} jitter a random time up to that.
 */
public record Retrier(
        List<String> errorEquals,
        double intervalSeconds,
        int maxAttempts,
        double backoffRate,
        Double maxDelaySeconds,
        Jitter jitter) {
    /** JitterStrategy. */
    public enum Jitter {
        FULL,
        NONE
    }

    /** The delay before retry number {@code retry} (1-based), before jitter, in milliseconds. */
    public long delayMillis(int retry) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retry - 1);
        if (maxDelaySeconds != null) seconds = Math.min(seconds, maxDelaySeconds);
        return (long) Math.ceil(seconds * 1000);
    }
}
