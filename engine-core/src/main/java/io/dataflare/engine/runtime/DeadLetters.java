package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.policy.Failure;
import java.time.Instant;

/**
 * Builds dead-letter records: the original record with why, where and when it failed, so that it can
 * be inspected and replayed.
 */
final class DeadLetters {
    private DeadLetters() {
    }

    static Record of(Record original, Failure failure, String pipeline, Instant at) {
        Record.Builder b = Record.builder()
                .set("pipeline", pipeline)
                .set("stage", failure.stage())
                .set("plugin", failure.plugin())
                .set("error_class", failure.errorClass())
                .set("error", failure.message())
                .set("attempts", (long) failure.attempts())
                .set("failed_at", at)
                .set("record", original.asMap());
        if (original.key() != null) b.set("key", original.key());
        if (!original.headers().isEmpty()) b.set("headers", original.headers());
        if (original.eventTime() != null) b.set("event_time", original.eventTime());
        return b.build();
    }
}
