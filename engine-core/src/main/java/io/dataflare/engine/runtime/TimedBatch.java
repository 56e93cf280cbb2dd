package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;

/**
 * A batch in a stage's input queue with the time its records were read by the source ({@link System#nanoTime()}),
 * so that a sink can measure end-to-end latency. One per batch and queue, never per record.
 *
 * @param readNanos when the source read the batch's records, or {@link #UNTIMED} (dead letters, timer output)
 */
record TimedBatch(RecordBatch batch, long readNanos) {
    /** No read time: the batch did not come from a source read (it is not measured). */
    static final long UNTIMED = Long.MIN_VALUE;
}
