package io.dataflare.flink;

import io.dataflare.api.data.Record;

/**
 * What a source stage emits in Flink: a record it read, or one it rejected (a broken line) with the reason, which
 * the next operator hands to the error policy (the source reader itself has no side outputs).
 *
 * @param record     the record
 * @param reason     why it was rejected, or null for a record read
 * @param errorClass the rejection's error class, or null
 */
record SourceItem(Record record, String reason, String errorClass) {
    static SourceItem read(Record record) {
        return new SourceItem(record, null, null);
    }

    boolean rejected() {
        return reason != null;
    }
}
