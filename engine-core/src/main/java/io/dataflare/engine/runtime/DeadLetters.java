package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.policy.Failure;
import io.dataflare.engine.config.Redactor;
import io.dataflare.json.RecordJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds dead-letter records: the original record with why, where and when it failed, so that it can
 * be inspected and replayed. {@code types} names the fields whose JSON form does not tell their type
 * (timestamps, bytes, decimals, non-finite doubles: see {@link RecordJson#typeHints}) and {@code key_type}
 * the key's, so that a replay gives the stage records equal to the ones that failed.
 */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * The dead letter of {@code original}. The reason and the headers (which carry names from the
     * configuration, such as input paths) are masked; the record's own fields are data and kept as read,
     * so that a replay gives the stage exactly what failed.
     */
    static Record of(Record original, Failure failure, String pipeline, Instant at, Redactor redactor) {
        Record.Builder b = Record.builder()
                .set("pipeline", pipeline)
                .set("stage", failure.stage())
                .set("plugin", failure.plugin())
                .set("error_class", failure.errorClass())
                .set("error", redactor.redact(failure.message()))
                .set("attempts", (long) failure.attempts())
                .set("failed_at", at);
        Map<String, String> types = RecordJson.typeHints(original);
        if (!types.isEmpty()) b.set("types", types);
        b.set("record", original.asMap());
        Object key = original.key();
        if (key != null) {
            b.set("key", key);
            String keyType = RecordJson.typeHints(
                            Record.builder().set("key", key).build())
                    .get("key");
            if (keyType != null) b.set("key_type", keyType);
        }
        if (!original.headers().isEmpty()) {
            Map<String, String> headers = new LinkedHashMap<>();
            original.headers().forEach((k, v) -> headers.put(k, redactor.redact(v)));
            b.set("headers", headers);
        }
        if (original.eventTime() != null) b.set("event_time", original.eventTime());
        return b.build();
    }
}
