package io.dataflare.api.processor;

import io.dataflare.api.data.Record;

/**
 * Per-record logic for {@link Processor#mapping(RecordMapper)}.
 *
 * @since 1.0.0
 */
@FunctionalInterface
public interface RecordMapper {
    /** Returns the new record, or null to drop this one. */
    Record apply(Record record) throws Exception;
}
