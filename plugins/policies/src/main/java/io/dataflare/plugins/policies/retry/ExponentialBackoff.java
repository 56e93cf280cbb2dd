package io.dataflare.plugins.policies.retry;

import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Retries with delays growing by {@code multiplier} from {@code initialMs} up to {@code maxMs}, for the
 * retried error classes, until {@code maxAttempts} attempts (the first included) have failed. With full
 * jitter the delay is uniform in [0, computed delay], which spreads out retries of many instances that
 * failed together.
 */
final class ExponentialBackoff implements RetryPolicy {
    private final int maxAttempts;
    private final double initialMs;
    private final double maxMs;
    private final double multiplier;
    private final boolean jitter;
    private final Set<String> retryOn;
    private final Set<String> exclude;
    private final DoubleSupplier random;

    /**
     * @param retryOn the retried classes, or null for all but {@code exclude}
     * @param random  uniform values in [0, 1) for the jitter
     */
    ExponentialBackoff(
            int maxAttempts,
            long initialMs,
            long maxMs,
            double multiplier,
            boolean jitter,
            Set<String> retryOn,
            Set<String> exclude,
            DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.retryOn = retryOn;
        this.exclude = exclude;
        this.random = random;
    }

    @Override
    public Optional<Duration> nextDelay(Failure failure) {
        if (failure.attempts() >= maxAttempts || !retried(failure.errorClass())) return Optional.empty();
        int exponent = Math.max(failure.attempts(), 1) - 1;
        double delay = Math.min(maxMs, initialMs * Math.pow(multiplier, exponent));
        if (jitter) delay = random.getAsDouble() * delay;
        return Optional.of(Duration.ofMillis(Math.round(delay)));
    }

    private boolean retried(String errorClass) {
        return retryOn == null ? !exclude.contains(errorClass) : retryOn.contains(errorClass);
    }
}
