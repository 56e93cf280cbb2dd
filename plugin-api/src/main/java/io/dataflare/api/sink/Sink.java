package io.dataflare.api.sink;

import io.dataflare.api.data.RecordBatch;

/**
 * Consumes records. The engine calls {@link #write} for each batch on one thread, {@link #flush()} when
 * it needs everything written so far to be durable (at checkpoints and at the end), then
 * {@link #close()}.
 *
 * <p>An exception from {@code write} fails the whole batch: the engine retries it per the pipeline's
 * retry policy, then hands every record of it to the error policy. Report single bad records through
 * {@link Rejections} instead.
 */
public interface Sink extends AutoCloseable {
    /** Writes the batch, reporting records that cannot be written to {@code rejections}. */
    void write(RecordBatch batch, Rejections rejections) throws Exception;

    /** Makes everything written so far durable. */
    default void flush() throws Exception {
    }

    /** Flushes and releases resources. Called once, also after a failure. */
    @Override
    default void close() throws Exception {
    }
}
