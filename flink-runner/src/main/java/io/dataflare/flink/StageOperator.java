package io.dataflare.flink;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.runtime.HostedPlugins;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.OutputTag;

/**
 * What the operators hosting a stage share: the job's plan (leased from {@link TaskPlans}), the stage's counters
 * (checkpointed), its retry and error policies with dead letters to the {@link #DEAD_LETTERS} side output, and
 * sending a plugin's result downstream as a local run does (records to a named output go to that output's side
 * output; a stage read by several others counts the copies as derived).
 */
abstract class StageOperator<IN> extends AbstractStreamOperator<Record> implements OneInputStreamOperator<IN, Record> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<Record> DEAD_LETTERS = new OutputTag<>("dead-letters", RecordTypeInfo.INSTANCE);

    final JobSpec spec;
    final String stage;
    /** How many stages read this one's main output, and each of its named outputs. */
    private final int mainReaders;

    private final Map<String, Integer> namedReaders;
    transient TaskPlans.Lease lease;
    transient StageCounters counters;
    transient StageFailures failures;
    private transient Map<String, OutputTag<Record>> outputTags;
    private transient List<Object> created;

    StageOperator(JobSpec spec, String stage, int mainReaders, Map<String, Integer> namedReaders) {
        this.spec = spec;
        this.stage = stage;
        this.mainReaders = mainReaders;
        this.namedReaders = new LinkedHashMap<>(namedReaders);
    }

    static OutputTag<Record> outputTag(String output) {
        return new OutputTag<>("output:" + output, RecordTypeInfo.INSTANCE);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        counters = new StageCounters();
        counters.initialize(context);
    }

    @Override
    public void open() throws Exception {
        super.open();
        counters.open(getRuntimeContext());
        created = new ArrayList<>();
        outputTags = new LinkedHashMap<>();
        for (String o : namedReaders.keySet()) outputTags.put(o, outputTag(o));
        lease = TaskPlans.acquire(spec, getRuntimeContext().getUserCodeClassLoader());
        PipelinePlan plan = lease.plan();
        ErrorPolicy errors = abortsOnError()
                ? f -> ErrorAction.ABORT
                : plan.errorPolicy() == null ? f -> ErrorAction.ABORT : create(plan.errorPolicy(), ErrorPolicy.class);
        RetryPolicy retry = plan.retry() == null ? RetryPolicy.none() : create(plan.retry(), RetryPolicy.class);
        failures = new StageFailures(
                plan.name(),
                stage,
                pluginLabel(),
                retry,
                errors,
                plan.deadLetter() != null,
                r -> output.collect(DEAD_LETTERS, new StreamRecord<>(r)),
                counters,
                plan.definition().redactor());
    }

    /** Whether the stage's failures abort the run whatever the error policy (the dead-letter sink's do). */
    boolean abortsOnError() {
        return false;
    }

    /** The plugin ({@code id@version}) of the stage. */
    String pluginLabel() {
        return stagePlan().component().pluginLabel();
    }

    StagePlan stagePlan() {
        return lease.plan().stage(stage);
    }

    int instance() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    }

    int instances() {
        return getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    }

    /**
     * A new instance of {@code component} for this operator instance; closed with the operator. A plugin that cannot
     * start fails the job without restarts, as it fails a local run.
     */
    <T> T create(io.dataflare.engine.pipeline.ComponentPlan component, Class<T> type) {
        T o;
        try {
            o = HostedPlugins.create(
                    component,
                    type,
                    lease.plan().definition(),
                    stage,
                    instance(),
                    instances(),
                    Clock.systemUTC(),
                    lease.engine().meters());
        } catch (Exception e) {
            throw new SuppressRestartsException(e);
        }
        created.add(o);
        return o;
    }

    /** Sends a plugin's output downstream (its rejections were handled already). */
    void emit(RecordBatch batch) {
        if (batch.size() == 0) return;
        if (namedReaders.isEmpty()) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.output(i) != null) {
                    throw new IllegalStateException("stage '" + stage + "' emitted a record to output '"
                            + batch.output(i) + "', but its plugin declares no named outputs");
                }
            }
            counters.add(stage, Metrics.OUT, batch.size());
            for (Record r : batch) output.collect(new StreamRecord<>(r));
            if (mainReaders > 1) counters.add(stage, Metrics.DERIVED, (long) batch.size() * (mainReaders - 1));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            String o = batch.output(i);
            if (o == null || !namedReaders.containsKey(o)) {
                throw new IllegalStateException("stage '" + stage + "' emitted a record "
                        + (o == null ? "without an output" : "to output '" + o + "'") + ", but its outputs are "
                        + String.join(", ", namedReaders.keySet()));
            }
        }
        counters.add(stage, Metrics.OUT, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String o = batch.output(i);
            output.collect(outputTags.get(o), new StreamRecord<>(batch.get(i)));
            counters.increment(stage, Metrics.OUTPUT + o);
            int readers = namedReaders.get(o);
            if (readers > 1) counters.add(stage, Metrics.DERIVED, readers - 1);
        }
    }

    /** Calls {@code callback} on this operator's thread after {@code delayMs}. */
    void after(long delayMs, ProcessingTimeService.ProcessingTimeCallback callback) {
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime() + delayMs, callback);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        counters.snapshot();
    }

    @Override
    public void close() throws Exception {
        try {
            if (created != null) {
                for (Object o : created) {
                    if (o instanceof AutoCloseable c) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            LOG.warn("stage '{}': closing {} failed: {}", stage, o, e.toString());
                        }
                    }
                }
            }
        } finally {
            if (lease != null) lease.close();
            super.close();
        }
    }
}
