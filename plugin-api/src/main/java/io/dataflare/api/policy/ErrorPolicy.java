package io.dataflare.api.policy;

/**
 * Decides what happens to a record that failed for good (rejected as invalid, or still failing after
 * the retries); named by a pipeline's {@code policies.errors.on_error}.
 *
 * @since 1.0.0
 */
@FunctionalInterface
public interface ErrorPolicy {
    /** The action for a record that failed with {@code failure}. */
    ErrorAction decide(Failure failure);
}
