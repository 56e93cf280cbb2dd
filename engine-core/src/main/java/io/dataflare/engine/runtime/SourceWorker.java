package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.source.Source;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls a source and emits batches of {@code batch_size} records, or fewer once {@code max_wait_ms}
 * has passed since the first record of the batch. Pausing and stopping take effect between polls.
 */
final class SourceWorker extends Worker {
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Source source;
    private final Emitter out;
    private final int batchSize;
    private final long maxWaitNanos;

    SourceWorker(PipelineRun run, String stage, StageStats stats, FailureHandler failures, Source source, Emitter out,
                 Channel deadLetters, int batchSize, long maxWaitMs) {
        super(run, stage, 0, stats, failures, source, deadLetters);
        this.source = source;
        this.out = out;
        this.batchSize = batchSize;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    }

    @Override
    void work() throws Exception {
        boolean exhausted = false;
        while (!exhausted && run.awaitRunnable()) {
            RecordBatch.Builder acc = null;
            Map<String, Object> position = null;
            long deadline = 0;
            while (true) {
                int want = acc == null ? batchSize : batchSize - acc.size();
                RecordBatch b = poll(want);
                if (b == null) {
                    exhausted = true;
                    break;
                }
                if (!b.rejections().isEmpty()) {
                    stats.recordsIn.add(b.rejections().size());
                    failures.rejected(b.rejections());
                    failures.flush();
                }
                if (b.size() > 0) {
                    stats.recordsIn.add(b.size());
                    stats.batches.increment();
                    if (acc == null && b.size() >= batchSize) {
                        out.emit(b.withoutRejections()); // a full batch goes as is, without a copy
                        break;
                    }
                    if (acc == null) {
                        acc = RecordBatch.builder(batchSize);
                        deadline = System.nanoTime() + maxWaitNanos;
                    }
                    acc.addAll(b);
                    position = b.position();
                    if (acc.size() >= batchSize) break;
                } else if (b.isEmpty()) {
                    if (run.stopRequested() || run.isPaused()) break;
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                if (acc != null && System.nanoTime() - deadline >= 0) break;
                if (run.stopRequested()) break;
            }
            if (acc != null) out.emit(acc.position(position).build());
        }
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
                    throw new AbortException("source '" + stage + "' (" + f.plugin() + ") failed after " + attempt
                            + " attempt(s): " + f.message(), t);
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
