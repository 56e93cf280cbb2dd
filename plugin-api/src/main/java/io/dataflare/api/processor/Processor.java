package io.dataflare.api.processor;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.state.FiredTimer;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a batch of records into another: map, filter, enrich, split. Output records may be more or
 * fewer than input ones. An instance is called from one thread at a time; run several with
 * {@code parallelism}.
 *
 * <p>Reject a bad input record with {@link RecordBatch.Builder#reject}; it goes to the error policy
 * and the rest of the batch carries on. An exception fails the whole batch: the engine retries it, then
 * processes its records one by one so that only the failing ones reach the error policy.
 *
 * <p>For per-record logic use {@link #mapping(RecordMapper)} or {@link #filtering(Predicate)}.
 *
 * @since 1.0.0
 */
public interface Processor extends AutoCloseable {
    /** Processes one batch. */
    RecordBatch process(RecordBatch batch) throws Exception;

    /**
     * Called once when the input of a bounded run has ended (every source exhausted), after the last batch and
     * before the stage's output ends: a processor holding records back (open windows, buffers) returns what it
     * still has to emit. Not called when the run stops, is cancelled or fails (its state is then resumed from the
     * checkpoint instead). Runs like {@link #process}: rejections go to the error policy; an exception fails the
     * run. The default emits nothing.
     *
     * @return the records to emit last (never null)
     * @since 1.1.0
     */
    default RecordBatch endOfInput() throws Exception {
        return RecordBatch.EMPTY;
    }

    /**
     * Called with the timers of this instance that fired (see {@link io.dataflare.api.PluginContext#timers()}),
     * in time order; each fired timer is already deleted. Runs like {@link #process}, between batches: the records
     * returned are emitted downstream, rejections go to the error policy and an exception fails the run. It may
     * register or delete timers and use the keyed state. The default refuses: a processor registering timers
     * implements it.
     *
     * @return the records to emit (never null)
     * @since 1.1.0
     */
    default RecordBatch onTimers(List<FiredTimer> fired) throws Exception {
        throw new UnsupportedOperationException(
                getClass().getName() + " registered timers but does not implement Processor.onTimers");
    }

    /** Releases resources. */
    @Override
    default void close() throws Exception {}

    /**
     * A processor applying {@code mapper} to each record: a null result drops the record, an
     * {@link InvalidRecordException} rejects it, any other exception fails the batch.
     */
    static Processor mapping(RecordMapper mapper) {
        return batch -> {
            RecordBatch.Builder out = RecordBatch.builder(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Record in = batch.get(i);
                try {
                    Record r = mapper.apply(in);
                    if (r != null) out.add(r);
                } catch (InvalidRecordException e) {
                    out.reject(in, e);
                }
            }
            return out.build();
        };
    }

    /** A processor keeping the records that match {@code keep}. */
    static Processor filtering(Predicate<Record> keep) {
        return batch -> {
            RecordBatch.Builder out = RecordBatch.builder(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Record in = batch.get(i);
                try {
                    if (keep.test(in)) out.add(in);
                } catch (InvalidRecordException e) {
                    out.reject(in, e);
                }
            }
            return out.build();
        };
    }
}
