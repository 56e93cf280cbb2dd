package io.dataflare.api.policy;

import java.util.Objects;

/**
 * A failed plugin call as policies see it.
 *
 * @param errorClass the classified error (see {@link io.dataflare.api.error.ErrorClass})
 * @param message    the error message
 * @param error      the exception, or null for a rejection without one
 * @param attempts   how many attempts have failed so far (1 after the first failure)
 * @param stage      the pipeline stage that failed
 * @param plugin     the plugin as {@code id@version}
 *
 * @since 1.0.0
 */
public record Failure(String errorClass, String message, Throwable error, int attempts, String stage, String plugin) {
    public Failure {
        Objects.requireNonNull(errorClass, "errorClass");
        message = message == null ? "" : message;
    }
}
