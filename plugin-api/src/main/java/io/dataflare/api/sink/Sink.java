package io.dataflare.api.sink;

import io.dataflare.api.data.RecordBatch;
import java.util.Map;

/**
 * Consumes records. The engine calls {@link #write} for each batch on one thread, {@link #flush()} when
 * it needs everything written so far to be durable (at checkpoints and at the end), then
 * {@link #close()}. With checkpoints ({@code runtime.checkpoint_interval_ms}), {@link #checkpoint()} and
 * {@link #restore(Map)} make a sink exactly-once across crashes, and {@link #commit(Map)} tells it that a
 * checkpoint is saved (a transactional sink makes its output visible only then).
 *
 * <p>An exception from {@code write} fails the whole batch: the engine retries it per the pipeline's
 * retry policy, then hands every record of it to the error policy. Report single bad records through
 * {@link Rejections} instead.
 *
 * @since 1.0.0
 */
public interface Sink extends AutoCloseable {
    /** Writes the batch, reporting records that cannot be written to {@code rejections}. */
    void write(RecordBatch batch, Rejections rejections) throws Exception;

    /** Makes everything written so far durable. */
    default void flush() throws Exception {}

    /**
     * Makes everything written so far durable and returns what the sink needs to come back to exactly
     * this point after a crash (for a file: its length), as a JSON-compatible map; the engine stores it
     * in the checkpoint together with the sources' positions. Return null when the sink cannot go back
     * (then records after the last checkpoint may be written twice on resume: at-least-once). The
     * default flushes and returns null.
     */
    default Map<String, Object> checkpoint() throws Exception {
        flush();
        return null;
    }

    /**
     * Goes back to a state {@link #checkpoint()} returned, before the first write of a resumed run:
     * undo whatever was written after it (truncate files to the checkpointed length), so that the
     * records the sources replay are written exactly once.
     */
    default void restore(Map<String, Object> state) throws Exception {}

    /**
     * The checkpoint holding {@code state} (what {@link #checkpoint()} returned, possibly null) is saved:
     * make the output written up to it final. A sink that writes in transactions (prepared at
     * {@link #checkpoint()}) commits here; until then its output may be invisible to readers. Called on
     * the thread that calls {@link #write}, never at the same time, after each saved checkpoint and once
     * more at a graceful end (after the final checkpoint is saved, or without checkpoints after the last
     * flush), before {@link #close()}. An exception fails the run; {@link #restore(Map)} of the next run
     * receives the same state and must finish the commit then. The default does nothing.
     *
     * @since 1.1.0
     */
    default void commit(Map<String, Object> state) throws Exception {}

    /** Flushes and releases resources. Called once, also after a failure. */
    @Override
    default void close() throws Exception {}
}
