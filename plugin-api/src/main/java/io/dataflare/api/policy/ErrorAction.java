package io.dataflare.api.policy;

/**
 * What happens to a record that failed for good.
 *
 * @since 1.0.0
 */
public enum ErrorAction {
    /** Drop it and count it as skipped. */
    SKIP,
    /** Write it to the pipeline's dead-letter sink with the reason. */
    DEAD_LETTER,
    /** Fail the pipeline (its last checkpoint is kept). */
    ABORT
}
