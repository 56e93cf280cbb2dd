package io.dataflare.flink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.sink.Sink;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.runtime.CollectedRejections;
import io.dataflare.engine.runtime.HostedPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A sink stage (or the dead-letter sink): hosts one instance of the plugin's sink and maps its checkpoint protocol
 * onto Flink's, which is a two-phase commit: before a barrier passes, the records held are written and the sink's
 * {@code checkpoint()} (flushed output and the state to come back to) goes into the operator's state; once Flink
 * reports the checkpoint complete the sink's {@code commit(state)} makes that output final; a job restored from a
 * checkpoint creates the sink and calls {@code restore(state)} (a file sink cuts its files back to the checkpointed
 * length, and the sources replay from their positions): the output holds every record exactly once. At the end of
 * the input the sink is flushed and its last state committed, as at the end of a local run. Records a sink
 * rejects go to the error policy; the dead-letter sink's failures abort the run.
 *
 * <p>This is an operator rather than a Sink V2 writer because a sink's rejected records must reach the dead
 * letters (a side output, which Sink V2 writers do not have) and its commit needs the very instance that wrote.
 */
final class SinkOperator extends StageOperator<Record> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final boolean deadLetterSink;
    private transient Sink sink;
    private transient List<Record> buffer;
    private transient boolean timerSet;
    private transient ListState<String> sinkState;
    private transient Map<String, Object> restored;
    private transient TreeMap<Long, Map<String, Object>> toCommit;

    SinkOperator(JobSpec spec, String stage, boolean deadLetterSink) {
        super(spec, stage, 0, Map.of());
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    boolean abortsOnError() {
        return deadLetterSink;
    }

    @Override
    String pluginLabel() {
        return component().pluginLabel();
    }

    private ComponentPlan component() {
        return deadLetterSink ? lease.plan().deadLetter() : stagePlan().component();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        sinkState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("dataflare-sink", Types.STRING));
        if (context.isRestored()) {
            for (String s : sinkState.get()) restored = JSON.readValue(s, MAP);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>();
        toCommit = new TreeMap<>();
        sink = create(component(), Sink.class);
        if (restored != null) {
            try {
                sink.restore(restored);
            } catch (Exception e) {
                throw new SuppressRestartsException(new IllegalStateException(
                        "sink '" + stage + "' cannot resume from its checkpointed state: " + HostedPlugins.message(e),
                        e));
            }
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

    private void flush() throws InterruptedException {
        if (buffer.isEmpty()) return;
        RecordBatch batch = RecordBatch.of(buffer);
        buffer.clear();
        counters.add(stage, Metrics.IN, batch.size());
        counters.increment(stage, Metrics.BATCHES);
        write(batch);
    }

    private void write(RecordBatch batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            CollectedRejections rejected = new CollectedRejections();
            try {
                sink.write(batch, rejected);
            } catch (Throwable t) {
                HostedPlugins.rethrowFatal(t);
                Failure f = failures.failure(t, attempt);
                if (failures.retryAfter(f)) continue;
                for (Record r : batch) failures.fail(r, f);
                return;
            }
            long written = batch.size() - rejected.list().size();
            counters.add(stage, Metrics.OUT, written);
            if (deadLetterSink) counters.add(stage, Metrics.DEAD_LETTERED, written);
            failures.rejected(rejected.list());
            return;
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        Map<String, Object> state = checkpoint();
        sinkState.update(state == null ? List.of() : List.of(JSON.writeValueAsString(state)));
        toCommit.put(context.getCheckpointId(), state);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Map.Entry<Long, Map<String, Object>> done = toCommit.floorEntry(checkpointId);
        if (done == null) return;
        toCommit.headMap(checkpointId, true).clear();
        commit(done.getValue(), "checkpoint " + done.getKey());
    }

    @Override
    public void endInput() throws Exception {
        flush();
        commit(checkpoint(), "the end of the run");
    }

    private Map<String, Object> checkpoint() {
        try {
            return sink.checkpoint();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "sink '" + stage + "' could not flush its output: " + HostedPlugins.message(e), e);
        }
    }

    private void commit(Map<String, Object> state, String what) {
        try {
            sink.commit(state);
        } catch (Exception e) {
            // the checkpoint stays the one to restore from: a restored sink finishes the commit
            throw new IllegalStateException(
                    "sink '" + stage + "' could not commit its output at " + what + ": " + HostedPlugins.message(e), e);
        }
    }
}
