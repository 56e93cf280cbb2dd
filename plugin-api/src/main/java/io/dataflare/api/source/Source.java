package io.dataflare.api.source;

import io.dataflare.api.data.RecordBatch;
import java.util.Map;

/**
 * Produces records. The engine calls {@link #poll(int)} in a loop on one thread, batching and
 * backpressuring for the source: a source never needs threads or buffers of its own.
 *
 * <p>Bad input (a line that does not parse) is not an exception: put it in the batch with
 * {@link RecordBatch.Builder#reject}, with headers {@code source.file} and {@code source.line}, and
 * carry on. An exception from {@code poll} means the source itself failed; the engine retries it per the
 * pipeline's retry policy, then fails the pipeline.
 *
 * @since 1.0.0
 */
public interface Source extends AutoCloseable {
    /**
     * Moves to a position previously returned with a batch ({@link RecordBatch#position()}), before the
     * first poll, when the engine resumes a pipeline from a checkpoint. Sources that cannot seek keep the
     * default, which starts over.
     */
    default void seek(Map<String, Object> position) throws Exception {
        throw new UnsupportedOperationException("this source cannot resume from a position");
    }

    /**
     * Returns up to {@code maxRecords} records. Returns an empty batch when nothing is available yet
     * (the engine polls again shortly), and {@code null} once the source is exhausted; an unbounded
     * source never returns null. May block briefly (up to about 100 ms) waiting for input.
     */
    RecordBatch poll(int maxRecords) throws Exception;

    /**
     * Everything up to {@code position} (a position this source returned with a batch) has reached the
     * sinks and is recorded in a durable checkpoint: a source that keeps what it produced until it is safe
     * (a queue of pushed records, a broker's uncommitted offsets) may let go of it now. Called between two
     * {@link #poll} calls, on another thread but never at the same time as {@code poll}. The default does
     * nothing.
     *
     * @since 1.1.0
     */
    default void commit(Map<String, Object> position) throws Exception {}

    /** Releases files, connections and threads. Called once, also after a failure. */
    @Override
    default void close() throws Exception {}
}
