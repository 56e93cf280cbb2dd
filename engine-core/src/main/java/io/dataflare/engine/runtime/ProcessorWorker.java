package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.state.FiredTimer;
import io.dataflare.engine.runtime.scale.LoadRate;
import io.dataflare.engine.state.keyed.KeyedTimers;
import io.dataflare.engine.state.keyed.RunStates;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one processor instance over its input. A batch that throws is retried per the retry policy;
 * when the retries are exhausted its records are processed one by one, so that only the records that
 * still fail reach the error policy and the others carry on. Between batches it adopts the processor a
 * version switch left in its {@link StageBinding} slot.
 *
 * <p>An instance whose processor uses timers also fires them: due ones after each batch (as part of the batch, so
 * within what checkpoints wait for), and processing-time ones while no input arrives: the worker then waits for
 * input only until the next timer is due, and fires it only if it can take the run's barrier at once (no
 * checkpoint or rescale under way), counting the firing in flight until its output is sent, as a batch is.
 */
final class ProcessorWorker extends Worker {
    private static final int HUNG_AFTER = 3;
    /**
     * The longest wait for input of an instance with timers: key groups moved in at a rescale may bring timers due
     * earlier than any it had.
     */
    private static final long MAX_TIMER_WAIT_MS = 100;
    /** The wait before trying again when a due timer could not fire (a checkpoint or rescale held the barrier). */
    private static final long BARRIER_RETRY_MS = 5;
    /** Rounds of firing per occasion: timers registered at or before now by onTimers fire in the next round. */
    private static final int MAX_TIMER_ROUNDS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorWorker.class);

    private Processor processor;
    private final StageBinding binding;
    private final Channel in;
    private final Emitter out;
    private long failedInBatch;

    private final InFlight inFlight;
    private final RunStates states;
    private final RunBarrier barrier;
    /** This instance's timers, once its processor asked for them. */
    private KeyedTimers timers;
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
            InFlight inFlight,
            RunStates states,
            RunBarrier barrier) {
        super(run, stage, instance, stats, failures, processor, deadLetters);
        this.processor = processor;
        this.binding = binding;
        this.in = in;
        this.out = out;
        this.inFlight = inFlight;
        this.states = states;
        this.barrier = barrier;
    }

    @Override
    void work() throws Exception {
        while (true) {
            KeyedTimers t = timers();
            Object item = t == null ? in.take(instance) : takeOrFire(t);
            if (item == Channel.END) {
                if (run.inputExhausted()) endOfInput();
                return;
            }
            adoptSwitch();
            TimedBatch timed = (TimedBatch) item;
            RecordBatch batch = timed.batch();
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
            out.emit(result.withoutRejections(), timed.readNanos()); // its output carries its input's read time
            t = timers();
            if (t != null) fireDue(t, MAX_TIMER_ROUNDS);
            inFlight.done();
        }
    }

    private KeyedTimers timers() {
        if (timers == null && states != null) timers = states.timersIfUsed(stage, instance);
        return timers;
    }

    /** The next input, firing the processing-time timers that fall due meanwhile. */
    private Object takeOrFire(KeyedTimers t) throws Exception {
        while (true) {
            long next = t.nextProcessingTime();
            long waitMs = next == Long.MIN_VALUE ? 0 : Math.min(MAX_TIMER_WAIT_MS, next - t.currentProcessingTime());
            if (waitMs > 0 || next == Long.MAX_VALUE) {
                Object item = in.poll(instance, Math.max(1, waitMs), TimeUnit.MILLISECONDS);
                if (item != null) return item;
                if (next == Long.MAX_VALUE || t.currentProcessingTime() < next) continue;
            }
            if (!fireIdle(t)) {
                Object item = in.poll(instance, BARRIER_RETRY_MS, TimeUnit.MILLISECONDS);
                if (item != null) return item;
            }
        }
    }

    /**
     * Fires due timers between batches; false when a checkpoint or rescale holds the barrier. Counted in flight
     * from inside the barrier's lock, so a quiet point taken later waits for the output.
     */
    private boolean fireIdle(KeyedTimers t) throws Exception {
        if (barrier != null) {
            if (!barrier.tryHold()) return false;
            try {
                inFlight.sent(1);
            } finally {
                barrier.release();
            }
        } else {
            inFlight.sent(1);
        }
        try {
            adoptSwitch();
            fireDue(t, MAX_TIMER_ROUNDS);
        } finally {
            inFlight.done();
        }
        return true;
    }

    /** Hands the due timers to the processor, round after round, and emits what it returns. */
    private void fireDue(KeyedTimers t, int maxRounds) throws Exception {
        for (int round = 0; round < maxRounds; round++) {
            List<FiredTimer> due = t.takeDue();
            if (due.isEmpty()) break;
            long t0 = System.nanoTime();
            RecordBatch result;
            try {
                result = processor.onTimers(due);
            } finally {
                busy(t0);
            }
            if (!result.rejections().isEmpty()) failures.rejected(result.rejections());
            stats.derived.add(result.size() + result.rejections().size());
            failures.flush();
            out.emit(result.withoutRejections());
        }
        t.flush();
    }

    /** Emits what the processor held back (open windows) once a bounded input has ended. */
    private void endOfInput() throws Exception {
        KeyedTimers t = timers();
        if (t != null) {
            t.endOfInput();
            fireDue(t, Integer.MAX_VALUE); // every event-time timer, however many
        }
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
