package io.dataflare.server.task;

import java.time.Duration;

/**
 * A push source's queue stayed full for its {@code block_ms}: nothing of the request was queued, and the
 * same request may be sent again after {@link #retryAfter()}.
 */
public final class TaskBusyException extends TaskException {
    private static final long serialVersionUID = 1L;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public TaskBusyException(String message) {
        super(message);
    }

    /** How long a client should wait before it tries again. */
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
