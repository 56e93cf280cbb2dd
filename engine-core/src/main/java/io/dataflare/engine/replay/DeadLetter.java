package io.dataflare.engine.replay;

import io.dataflare.api.data.Record;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of a dead-letter file, read back for replay.
 *
 * @param line   its line in the file
 * @param stage  the stage that failed it
 * @param record the original record
 * @param error  why it failed
 */
public record DeadLetter(int line, String stage, Record record, String error) {
    /**
     * The dead letter the engine built as {@code deadLetter} (kept in memory, so its fields have their types), or
     * null when it is not one (no {@code stage}, no {@code record} object); {@code line} 0.
     */
    public static DeadLetter of(Record deadLetter) {
        if (!(deadLetter.get("stage") instanceof String stage)
                || !(deadLetter.get("record") instanceof Map<?, ?> fields)) return null;
        Record.Builder b = Record.builder();
        fields.forEach((k, v) -> b.set(String.valueOf(k), v));
        Object key = deadLetter.get("key");
        if (key != null) b.key(key);
        if (deadLetter.get("headers") instanceof Map<?, ?> headers)
            headers.forEach((k, v) -> b.header(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        if (deadLetter.get("event_time") instanceof Instant t) b.eventTime(t);
        Object error = deadLetter.get("error");
        return new DeadLetter(0, stage, b.build(), error == null ? "" : String.valueOf(error));
    }
}
