package io.dataflare.api.data;

import io.dataflare.api.error.ErrorClass;
import java.util.Objects;

/**
 * A record a plugin could not handle, with the reason. The engine hands it to the pipeline's error
 * policy (skip, dead-letter or abort); it is never silently dropped.
 *
 * @param record     the record as it was when it failed (for a source: the raw input, with headers
 *                   naming where it came from, such as {@code source.file} and {@code source.line})
 * @param reason     a message a person can act on
 * @param errorClass a short class used by retry and error policies, such as {@link ErrorClass#INVALID_RECORD}
 * @param cause      the exception, or null
 *
 * @since 1.0.0
 */
public record Rejection(Record record, String reason, String errorClass, Throwable cause) {
    public Rejection {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(errorClass, "errorClass");
    }

    /** A rejection of invalid data. */
    public static Rejection invalid(Record record, String reason) {
        return new Rejection(record, reason, ErrorClass.INVALID_RECORD, null);
    }
}
