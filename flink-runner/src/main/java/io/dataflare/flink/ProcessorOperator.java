package io.dataflare.flink;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.runtime.HostedPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * One instance of a processor stage: hosts an instance of the plugin's processor and calls it per batch. Records
 * are gathered into batches of the pipeline's batch size; a partial batch goes after {@code max_wait_ms}, before
 * every checkpoint barrier (so a checkpoint never holds records inside the operator) and at the end of the input,
 * after which the processor's {@code endOfInput} output (open windows) follows. A batch that throws is retried per
 * the retry policy, then its records are processed one at a time so that only those that still fail reach the
 * error policy, as in a local run. The plugin's keyed state ({@code ctx.state()}) is saved in Flink's checkpoints
 * ({@link PluginKeyedState}).
 */
final class ProcessorOperator extends StageOperator<Record> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final int HUNG_AFTER = 3;

    private transient Processor processor;
    private transient List<Record> buffer;
    private transient boolean timerSet;
    private transient long failedInBatch;
    private transient PluginKeyedState keyedState;

    ProcessorOperator(JobSpec spec, String stage, int mainReaders, Map<String, Integer> namedReaders) {
        super(spec, stage, mainReaders, namedReaders);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        keyedState = new PluginKeyedState(stage, instance(), spec.stateTtlMs());
        boolean keyed = getKeyedStateBackend() != null;
        keyedState.initialize(
                context,
                keyed ? this : null,
                keyed
                        ? KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                                getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
                                instances(),
                                instance())
                        : null);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>();
        processor = create(stagePlan().component(), Processor.class, keyedState.states());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // the batch before the barrier was processed (prepareSnapshotPreBarrier): the state holds all it did
        keyedState.snapshot();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (keyedState != null) keyedState.close();
        }
    }

    @Override
    public void processElement(StreamRecord<Record> element) throws Exception {
        buffer.add(element.getValue());
        if (buffer.size() >= spec.batchSize()) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            after(spec.maxWaitMs(), t -> {
                timerSet = false;
                flush();
            });
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() throws Exception {
        flush();
        RecordBatch result = processor.endOfInput();
        if (!result.rejections().isEmpty()) failures.rejected(result.rejections());
        counters.add(stage, Metrics.DERIVED, result.size() + result.rejections().size());
        emit(result.withoutRejections());
    }

    private void flush() throws InterruptedException {
        if (buffer.isEmpty()) return;
        RecordBatch batch = RecordBatch.of(buffer);
        buffer.clear();
        counters.add(stage, Metrics.IN, batch.size());
        counters.increment(stage, Metrics.BATCHES);
        failedInBatch = 0;
        RecordBatch result = process(batch);
        if (!result.rejections().isEmpty()) {
            failedInBatch += result.rejections().size();
            failures.rejected(result.rejections());
        }
        long delta = result.size() + failedInBatch - batch.size();
        if (delta < 0) counters.add(stage, Metrics.FILTERED, -delta);
        else if (delta > 0) counters.add(stage, Metrics.DERIVED, delta);
        emit(result.withoutRejections());
    }

    private RecordBatch process(RecordBatch batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return processor.process(batch);
            } catch (Throwable t) {
                HostedPlugins.rethrowFatal(t);
                Failure f = failures.failure(t, attempt);
                if (!failures.retryAfter(f)) return isolate(batch, f);
            }
        }
    }

    /**
     * The records of a failed batch one at a time; after {@value #HUNG_AFTER} timeouts in a row the rest goes to
     * the error policy unprocessed rather than costing a time limit each.
     */
    private RecordBatch isolate(RecordBatch batch, Failure batchFailure) throws InterruptedException {
        if (batch.size() == 1) {
            fail(batch.get(0), batchFailure);
            return RecordBatch.EMPTY;
        }
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        int hungInARow = 0;
        for (Record r : batch) {
            if (hungInARow >= HUNG_AFTER) {
                fail(r, failures.notProcessed(batchFailure, HUNG_AFTER));
                continue;
            }
            try {
                RecordBatch one = processor.process(RecordBatch.of(r));
                out.addAll(one);
                for (var rej : one.rejections()) out.reject(rej);
                hungInARow = 0;
            } catch (Throwable t) {
                HostedPlugins.rethrowFatal(t);
                Failure f = failures.failure(t, batchFailure.attempts() + 1);
                hungInARow = ErrorClass.TIMEOUT.equals(f.errorClass()) || ErrorClass.LIMIT.equals(f.errorClass())
                        ? hungInARow + 1
                        : 0;
                fail(r, f);
            }
        }
        return out.build();
    }

    private void fail(Record r, Failure f) {
        failedInBatch++;
        failures.fail(r, f);
    }
}
