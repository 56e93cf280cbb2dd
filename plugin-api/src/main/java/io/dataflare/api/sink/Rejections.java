package io.dataflare.api.sink;

import io.dataflare.api.data.Record;

/**
 * Where a sink reports the records of a batch it could not write (a value its format cannot hold, a
 * path template that leaves the output directory). Reported records go to the pipeline's error
 * policy; the rest of the batch counts as written.
 *
 * @since 1.0.0
 */
public interface Rejections {
    /** Reports {@code record} as not written, with a reason a person can act on. */
    void reject(Record record, String reason);

    /** Reports {@code record} as not written because of {@code error}. */
    void reject(Record record, Throwable error);
}
