package io.dataflare.api.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a failed call (a batch for a processor or sink, a poll for a source) is tried again,
 * and after how long. An instance serves one stage instance and is called from its thread only.
 *
 * @since 1.0.0
 */
@FunctionalInterface
public interface RetryPolicy {
    /** The delay before the next attempt, or empty to give up and hand the records to the error policy. */
    Optional<Duration> nextDelay(Failure failure);

    /** A policy that never retries. */
    static RetryPolicy none() {
        return failure -> Optional.empty();
    }
}
