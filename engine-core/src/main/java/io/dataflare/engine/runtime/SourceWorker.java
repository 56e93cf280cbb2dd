package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.source.Source;
import io.dataflare.engine.runtime.scale.AdaptiveBatchSize;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a source and emits batches of {@code batch_size} records, or fewer once {@code max_wait_ms}
 * has passed since the first record of the batch (with adaptive batching: of the size an
 * {@link AdaptiveBatchSize} decides, waiting at most the latency target). Pausing, stopping and checkpoints take effect between
 * batches, at the run's {@link SourceGate}; the worker then knows the source position up to which
 * everything read has been sent on, which is what a checkpoint saves and what a new version of the source
 * seeks to when it takes over ({@link #handOver}).
 */
final class SourceWorker extends Worker {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWorker.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final SourceGate gate;
    /** Replaced by a version switch while the worker is parked (the gate's lock orders that with the next poll). */
    private volatile Source source;

    private final Emitter out;
    private final int batchSize;
    private long maxWaitNanos;
    /** The batch size when batching is adaptive, else null (batches of {@link #batchSize}). */
    private AdaptiveBatchSize adaptive;
    /** The run's memory budget and rate limit, or null for none. */
    private ResourceBudget budget;

    private Map<String, Object> pendingPosition;
    private volatile Map<String, Object> position;
    private volatile boolean positionless;
    /** Guarded by the run's source gate. */
    boolean parked;

    SourceWorker(
            PipelineRun run,
            SourceGate gate,
            String stage,
            StageStats stats,
            FailureHandler failures,
            Source source,
            Emitter out,
            Channel deadLetters,
            int batchSize,
            long maxWaitMs,
            Map<String, Object> startPosition) {
        super(run, stage, 0, stats, failures, source, deadLetters);
        this.gate = gate;
        this.source = source;
        this.out = out;
        this.batchSize = batchSize;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.position = startPosition;
        this.pendingPosition = startPosition;
    }

    /**
     * Makes the batch size adaptive (before the worker starts): {@code sizes} decides it, and a batch waits at
     * most {@code targetLatencyMs} for records.
     */
    void budget(ResourceBudget b) {
        this.budget = b;
    }

    void adaptive(AdaptiveBatchSize sizes, long targetLatencyMs) {
        this.adaptive = sizes;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(targetLatencyMs);
    }

    /** The position after everything this source has sent on (null before the first batch). */
    Map<String, Object> position() {
        return position;
    }

    /**
     * A checkpoint covering {@code position} is durable: tells the source, which may let go of what it
     * kept for a replay. A failure is logged only: the checkpoint stands, the source keeps more than needed.
     */
    void committed(Map<String, Object> position) {
        if (position == null) return;
        try {
            source.commit(position);
        } catch (Exception | LinkageError e) {
            LOG.warn("source '{}': commit of a checkpoint failed: {}", stage, ErrorClassifier.message(e));
        }
    }

    /**
     * Hands this worker's place over to {@code next} (another version of its plugin) while it is parked at a
     * barrier: {@code next} seeks to the position after everything sent on (or starts from the beginning when
     * nothing was), then replaces the old source, which is closed.
     *
     * @throws SwitchRefusedException when the source ended or the position cannot be handed over; nothing
     *     changed then
     */
    void handOver(Source next, String label) throws SwitchRefusedException {
        // under the gate's lock: the worker cannot leave the gate (and close its plugin) halfway through
        synchronized (gate) {
            if (!gate.isParked(this)) throw new SwitchRefusedException("the source has ended");
            if (positionless) {
                throw new SwitchRefusedException(
                        "the running version emits records without a position, so there is none to hand over");
            }
            Map<String, Object> at = position;
            if (at != null) {
                try {
                    next.seek(at);
                } catch (Exception | LinkageError e) {
                    throw new SwitchRefusedException("it cannot seek to " + at + ": " + ErrorClassifier.message(e));
                }
            }
            Source old = source;
            source = next;
            replacePlugin(next);
            failures.plugin(label);
            try {
                old.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("source '{}': closing the replaced version failed: {}", stage, ErrorClassifier.message(e));
            }
        }
    }

    /** Whether the source emitted records without a position (then no checkpoint can cover it). */
    boolean positionless() {
        return positionless;
    }

    @Override
    void work() throws Exception {
        boolean exhausted = false;
        try {
            while (!exhausted && gate.pass(this)) {
                exhausted = readBatch();
                position = pendingPosition;
            }
        } finally {
            gate.finished(this);
        }
    }

    /** Reads and sends one batch; returns true when the source is exhausted. */
    private boolean readBatch() throws Exception {
        int batchSize = adaptive == null ? this.batchSize : adaptive.size();
        if (budget != null) batchSize = budget.cap(batchSize);
        RecordBatch.Builder acc = null;
        long deadline = 0;
        long readAt = TimedBatch.UNTIMED; // when the batch's first records were read: its oldest
        while (true) {
            int want = acc == null ? batchSize : batchSize - acc.size();
            RecordBatch b = poll(want);
            if (b == null) {
                if (acc != null) emit(acc.position(pendingPosition).build(), readAt);
                return true;
            }
            if (b.position() != null) pendingPosition = b.position();
            else if (!b.isEmpty()) positionless = true;
            if (!b.rejections().isEmpty()) {
                stats.recordsIn.add(b.rejections().size());
                failures.rejected(b.rejections());
                failures.flush();
            }
            if (b.size() > 0) {
                if (acc == null) readAt = System.nanoTime();
                stats.recordsIn.add(b.size());
                stats.batches.increment();
                if (acc == null && b.size() >= batchSize) {
                    emit(b.withoutRejections(), readAt); // a full batch goes as is, without a copy
                    if (adaptive != null) adaptive.sent(b.size(), true);
                    return false;
                }
                if (acc == null) {
                    acc = RecordBatch.builder(batchSize);
                    deadline = System.nanoTime() + maxWaitNanos;
                }
                acc.addAll(b);
                if (acc.size() >= batchSize) break;
            } else if (b.isEmpty()) {
                if (acc == null && gate.shouldYield()) return false;
                LockSupport.parkNanos(IDLE_NANOS);
            }
            if (acc != null && System.nanoTime() - deadline >= 0) break;
            if (gate.shouldYield()) break;
        }
        if (acc != null) {
            int n = acc.size();
            emit(acc.position(pendingPosition).build(), readAt);
            if (adaptive != null) adaptive.sent(n, n >= batchSize);
        }
        return false;
    }

    private void emit(RecordBatch b, long readAt) throws InterruptedException {
        out.emit(b, readAt);
        if (budget != null) budget.read(b);
    }

    private RecordBatch poll(int max) throws Exception {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                return source.poll(max);
            } catch (Throwable t) {
                ErrorClassifier.rethrowFatal(t);
                Failure f = failures.failure(t, attempt);
                if (!failures.retryAfter(f)) {
                    throw new AbortException(
                            "source '" + stage + "' (" + f.plugin() + ") failed after " + attempt + " attempt(s): "
                                    + f.message(),
                            t);
                }
            } finally {
                busy(t0);
            }
        }
    }

    @Override
    void endOutput() throws InterruptedException {
        out.done();
    }
}
