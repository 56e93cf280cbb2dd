package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.runtime.scale.LoadRate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one processor instance over its input. A batch that throws is retried per the retry policy;
 * when the retries are exhausted its records are processed one by one, so that only the records that
 * still fail reach the error policy and the others carry on. Between batches it adopts the processor a
 * version switch left in its {@link StageBinding} slot.
 */
final class ProcessorWorker extends Worker {
    private static final int HUNG_AFTER = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorWorker.class);

    private Processor processor;
    private final StageBinding binding;
    private final Channel in;
    private final Emitter out;
    private long failedInBatch;

    private final InFlight inFlight;
    /** Where an elastic stage measures its load, or null. */
    private volatile LoadRate load;

    ProcessorWorker(
            PipelineRun run,
            String stage,
            int instance,
            StageStats stats,
            FailureHandler failures,
            Processor processor,
            StageBinding binding,
            Channel in,
            Emitter out,
            Channel deadLetters,
            InFlight inFlight) {
        super(run, stage, instance, stats, failures, processor, deadLetters);
        this.processor = processor;
        this.binding = binding;
        this.in = in;
        this.out = out;
        this.inFlight = inFlight;
    }

    @Override
    void work() throws Exception {
        while (true) {
            Object item = in.take(instance);
            if (item == Channel.END) {
                if (run.inputExhausted()) endOfInput();
                return;
            }
            adoptSwitch();
            RecordBatch batch = (RecordBatch) item;
            stats.recordsIn.add(batch.size());
            stats.batches.increment();
            failedInBatch = 0;
            long t0 = System.nanoTime();
            RecordBatch result = process(batch);
            LoadRate load = this.load;
            if (load != null) {
                long end = System.nanoTime();
                load.batch(end, end - t0);
            }
            if (!result.rejections().isEmpty()) {
                failedInBatch += result.rejections().size();
                failures.rejected(result.rejections());
            }
            long delta = result.size() + failedInBatch - batch.size();
            if (delta < 0) stats.filtered.add(-delta);
            else if (delta > 0) stats.derived.add(delta);
            failures.flush();
            out.emit(result.withoutRejections());
            inFlight.done();
        }
    }

    /** Emits what the processor held back (open windows) once a bounded input has ended. */
    private void endOfInput() throws Exception {
        long t0 = System.nanoTime();
        RecordBatch result;
        try {
            result = processor.endOfInput();
        } finally {
            busy(t0);
        }
        if (!result.rejections().isEmpty()) failures.rejected(result.rejections());
        stats.derived.add(result.size() + result.rejections().size());
        failures.flush();
        out.emit(result.withoutRejections());
    }

    private RecordBatch process(RecordBatch batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                return processor.process(batch);
            } catch (Throwable t) {
                ErrorClassifier.rethrowFatal(t);
                Failure f = failures.failure(t, attempt);
                if (!failures.retryAfter(f)) return isolate(batch, f);
            } finally {
                busy(t0);
            }
        }
    }

    /**
     * Processes the records of a failed batch one at a time; the ones that fail go to the error policy.
     * A plugin that times out (or hits a limit) on record after record is hung, not picky: after
     * {@value #HUNG_AFTER} such failures in a row the rest of the batch goes to the error policy unprocessed,
     * instead of costing a time limit per record.
     */
    private RecordBatch isolate(RecordBatch batch, Failure batchFailure) throws InterruptedException {
        if (batch.size() == 1) {
            fail(batch.get(0), batchFailure);
            return RecordBatch.EMPTY;
        }
        failures.isolating(batch.size(), batchFailure);
        RecordBatch.Builder outB = RecordBatch.builder(batch.size());
        int hungInARow = 0;
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            if (hungInARow >= HUNG_AFTER) {
                fail(r, failures.notProcessed(batchFailure, HUNG_AFTER));
                continue;
            }
            long t0 = System.nanoTime();
            try {
                RecordBatch one = processor.process(RecordBatch.of(r));
                outB.addAll(one);
                for (var rej : one.rejections()) outB.reject(rej);
                hungInARow = 0;
            } catch (Throwable t) {
                ErrorClassifier.rethrowFatal(t);
                Failure f = failures.failure(t, batchFailure.attempts() + 1);
                hungInARow = ErrorClass.TIMEOUT.equals(f.errorClass()) || ErrorClass.LIMIT.equals(f.errorClass())
                        ? hungInARow + 1
                        : 0;
                fail(r, f);
            } finally {
                busy(t0);
            }
        }
        return outB.build();
    }

    private void fail(Record r, Failure f) throws InterruptedException {
        failedInBatch++;
        failures.fail(r, f);
    }

    /** At a batch boundary: switches to the processor a version switch published for this instance, if any. */
    private void adoptSwitch() {
        StageBinding.Pending next = binding.take(instance);
        if (next == null) return;
        long t0 = System.nanoTime();
        Processor old = processor;
        processor = next.processor();
        replacePlugin(next.processor());
        failures.plugin(next.label());
        try {
            old.close();
        } catch (Exception e) {
            LOG.warn("stage '{}': closing the {} instance failed: {}", stage, next.owner().from, e.toString());
        }
        next.owner().adopted(System.nanoTime() - t0);
    }

    /** Records every batch's time in the plugin in {@code load} (an elastic stage's). */
    void measure(LoadRate load) {
        this.load = load;
    }

    @Override
    void exited() {
        binding.exited(instance);
    }

    @Override
    void endOutput() throws InterruptedException {
        out.done();
    }
}
