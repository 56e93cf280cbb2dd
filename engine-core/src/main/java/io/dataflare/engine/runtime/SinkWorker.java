package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.sink.Sink;
import io.dataflare.engine.runtime.buffer.SinkSpool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to a sink. A batch that throws is retried per the retry policy, then every record of
 * it goes to the error policy. At the end of input the sink is flushed and closed, and only then does
 * the stage count as done. The dead-letter sink runs on this worker too, counting into
 * {@code dead_lettered}. At a barrier it can hand its output over to a new version of its plugin
 * ({@link HandOver}).
 */
final class SinkWorker extends Worker {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);

    /**
     * Sent to a sink's input while the run is quiet: the old version flushes and reports its state (as for a
     * checkpoint), {@code next} restores that state, so it continues the same output (a file sink appends to
     * the files the old one wrote), and replaces the old one, which is closed. Whoever {@link #claim()}s it
     * first decides: the sink worker, or the switch giving up waiting. The switch closes {@code next} when it
     * does not take over.
     */
    static final class HandOver {
        final Sink next;
        final String label;
        /** Completes when the new version took over, or exceptionally with a {@link SwitchRefusedException}. */
        final CompletableFuture<Void> done = new CompletableFuture<>();

        private final AtomicBoolean claimed = new AtomicBoolean();

        HandOver(Sink next, String label) {
            this.next = next;
            this.label = label;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    private Sink sink;
    private final Channel in;
    private final LongAdder writtenCounter;
    private final InFlight inFlight;
    private final CheckpointCoordinator checkpoints;
    /** The sink's state at the last barrier: what it commits when that checkpoint is saved. */
    private Map<String, Object> checkpointed;
    /** The sink's offline buffer, or null: a retryable failure then goes to the retry and error policies. */
    private SinkBuffer buffer;
    /** Where acknowledged writes are measured from their source read; null for the dead-letter sink. */
    private RecordLatency latency;

    SinkWorker(
            PipelineRun run,
            String stage,
            StageStats stats,
            FailureHandler failures,
            Sink sink,
            Channel in,
            Channel deadLetters,
            LongAdder writtenCounter,
            InFlight inFlight,
            CheckpointCoordinator checkpoints) {
        super(run, stage, 0, stats, failures, sink, deadLetters);
        this.sink = sink;
        this.in = in;
        this.writtenCounter = writtenCounter;
        this.inFlight = inFlight;
        this.checkpoints = checkpoints;
    }

    /** Measures this sink's acknowledged writes into {@code l}. */
    void latency(RecordLatency l) {
        this.latency = l;
    }

    /** Gives the sink an offline buffer. */
    void buffer(SinkBuffer b) {
        this.buffer = b;
    }

    @Override
    void work() throws Exception {
        while (true) {
            Object item;
            if (buffer != null && buffer.pending()) {
                // records wait in the spool: offer them to the sink again when due, even with no new input
                item = in.poll(0, buffer.waitMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    drain();
                    continue;
                }
            } else {
                item = in.take(0);
            }
            if (item == Channel.END) break;
            if (control(item)) continue;
            TimedBatch timed = (TimedBatch) item;
            RecordBatch batch = timed.batch();
            stats.recordsIn.add(batch.size());
            stats.batches.increment();
            long written = buffer == null ? write(batch) : deliver(batch);
            if (latency != null) latency.written(timed.readNanos(), written);
            failures.flush();
            inFlight.done();
        }
        if (buffer != null) drainAtEnd();
        Map<String, Object> state = checkpoint();
        if (checkpoints == null) {
            commit(state, "the end of the run");
            return;
        }
        // Nothing more goes to the dead letters from here: the dead-letter sink can finish too, and the final
        // checkpoint waits for every sink, that one included.
        deadLettersDone();
        if (checkpoints.finalState(stage, withSpool(state))) commit(state, "the final checkpoint");
    }

    /** Handles a control item (a checkpoint's barrier or commit, a hand-over); false for a batch. */
    private boolean control(Object item) throws Exception {
        if (item instanceof CheckpointCoordinator.Barrier) {
            checkpointed = checkpoint();
            checkpoints.acknowledge(stage, withSpool(checkpointed));
            return true;
        }
        if (item instanceof CheckpointCoordinator.Commit c) {
            try {
                commit(checkpointed, "checkpoint " + c.id());
            } finally {
                checkpoints.committed(stage);
            }
            return true;
        }
        if (item instanceof HandOver h) {
            if (h.claim()) handOver(h);
            return true;
        }
        return false;
    }

    private Map<String, Object> withSpool(Map<String, Object> state) {
        return buffer == null ? state : buffer.checkpointState(state);
    }

    /**
     * Writes a batch through the offline buffer: to the sink when nothing waits in the spool and it takes it,
     * else to the spool, behind what waits there (so records keep their order). A full spool holds the batch
     * (and so the pipeline) back until the sink takes enough of the spool.
     */
    private long deliver(RecordBatch batch) throws Exception {
        drain();
        if (!buffer.pending()) {
            long written = writeOrDefer(batch);
            if (written >= 0) return written;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, List<Record>> e :
                buffer.byPriority(batch.records()).entrySet()) {
            byte[] data = SinkSpool.encode(e.getValue());
            while (!buffer.fits(data.length)) {
                Thread.sleep(buffer.waitMillis());
                drain();
            }
            try {
                buffer.spool.append(e.getKey(), data, e.getValue().size(), now);
            } finally {
                buffer.appended(data.length);
            }
            buffer.spooled(e.getValue().size());
        }
        return 0;
    }

    /**
     * Offers the spool to the sink when due, until it is empty or the sink fails again. Spooled batches are
     * joined into writes of up to {@link SinkBuffer#DRAIN_RECORDS} records (and {@link SinkBuffer#drainBytes()}
     * spooled bytes): a spool that grew from many small
     * batches (a slow source, a rate limit) drains in fewer, larger writes (requests, transactions).
     */
    private void drain() throws Exception {
        if (!buffer.pending() || !buffer.due()) return;
        List<SinkSpool.Entry> entries;
        while (!(entries = buffer.spool.heads(SinkBuffer.DRAIN_RECORDS, buffer.drainBytes())).isEmpty()) {
            List<Record> records = new ArrayList<>();
            for (SinkSpool.Entry e : entries) records.addAll(buffer.spool.read(e));
            if (writeOrDefer(RecordBatch.of(records)) < 0) return;
            for (SinkSpool.Entry e : entries) buffer.spool.remove(e);
            buffer.drainedRecords.add(records.size());
            buffer.drainWrites.increment();
        }
        buffer.drained();
    }

    /**
     * At the end of the input the spool is delivered before the run completes; a run that was stopped leaves
     * it for the next run.
     */
    private void drainAtEnd() throws Exception {
        while (buffer.pending() && run.inputExhausted()) {
            drain();
            if (!buffer.pending()) break;
            // Checkpoints go on meanwhile (they record how far the spool is drained and the sources' end), so a
            // crash while the sink is down resumes here rather than reading the input again since the last one.
            Object item = in.poll(0, Math.min(buffer.waitMillis(), 200), TimeUnit.MILLISECONDS);
            if (item != null) control(item);
        }
    }

    /**
     * Writes a batch to the sink and returns the records it took; -1 when it failed with a retryable error (the
     * buffer then holds it). A batch that fails otherwise goes to the retry and error policies, as without a buffer.
     */
    private long writeOrDefer(RecordBatch batch) throws InterruptedException {
        return write(batch, true);
    }

    /** Writes a batch to the sink; returns the records it took. */
    private long write(RecordBatch batch) throws InterruptedException {
        return write(batch, false);
    }

    private long write(RecordBatch batch, boolean mayDefer) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            CollectedRejections rejected = new CollectedRejections();
            long t0 = System.nanoTime();
            try {
                sink.write(batch, rejected);
            } catch (Throwable t) {
                ErrorClassifier.rethrowFatal(t);
                Failure f = failures.failure(t, attempt);
                if (mayDefer && SinkBuffer.retryable(f.errorClass())) {
                    buffer.sinkFailed(f.message());
                    return -1;
                }
                if (failures.retryAfter(f)) continue;
                for (Record r : batch) failures.fail(r, f);
                return 0;
            } finally {
                busy(t0);
            }
            long written = batch.size() - rejected.list().size();
            stats.recordsOut.add(written);
            if (writtenCounter != null) writtenCounter.add(written);
            failures.rejected(rejected.list());
            return written;
        }
    }

    /** Makes the output up to the saved checkpoint whose state is {@code state} final. */
    private void commit(Map<String, Object> state, String what) {
        long t0 = System.nanoTime();
        try {
            sink.commit(state);
        } catch (Exception e) {
            // Failing the run keeps the saved checkpoint: the next run's restore gets the same state and
            // finishes the commit, rather than this run going on with output that may never become final.
            throw new AbortException(
                    "sink '" + stage + "' could not commit its output at " + what + ": " + ErrorClassifier.message(e),
                    e);
        } finally {
            busy(t0);
        }
    }

    private void handOver(HandOver h) {
        Map<String, Object> state;
        try {
            state = checkpoint();
        } catch (RuntimeException e) {
            // the old version could not flush what it accepted: the run fails as at a checkpoint
            h.done.completeExceptionally(new SwitchRefusedException("the running version could not flush its output"));
            throw e;
        }
        if (state != null) {
            try {
                h.next.restore(state);
            } catch (Exception | LinkageError e) {
                h.done.completeExceptionally(new SwitchRefusedException(
                        "it cannot take over the output at " + state + ": " + ErrorClassifier.message(e)));
                return;
            }
        }
        Sink old = sink;
        sink = h.next;
        replacePlugin(h.next);
        failures.plugin(h.label);
        try {
            old.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("sink '{}': closing the replaced version failed: {}", stage, ErrorClassifier.message(e));
        }
        h.done.complete(null);
    }

    /** Flushes the sink and returns its state for a checkpoint (null when it cannot restore). */
    private Map<String, Object> checkpoint() {
        long t0 = System.nanoTime();
        try {
            return sink.checkpoint();
        } catch (Exception e) {
            throw new AbortException(
                    "sink '" + stage + "' could not flush its output: " + ErrorClassifier.message(e), e);
        } finally {
            busy(t0);
        }
    }

    @Override
    void endOutput() {
        // a sink has no downstream
    }

    @Override
    void exited() {
        if (buffer == null) return;
        try {
            buffer.close();
        } catch (Exception e) {
            LOG.warn("sink '{}': closing its spool failed: {}", stage, ErrorClassifier.message(e));
        }
    }
}
