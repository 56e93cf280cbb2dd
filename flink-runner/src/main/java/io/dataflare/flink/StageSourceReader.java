package io.dataflare.flink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.source.Source;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.runtime.HostedPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Reads a source stage's splits ({@link StageSource}), one at a time: hosts a plugin source instance for the split
 * (for a file's split, with {@code path} set to that file), polls it for a batch per call (the pipeline's batch
 * size), emits its records and its rejections, and remembers the batch's position for the next checkpoint; when the
 * split's source ends it asks for the next split. When a checkpoint is complete the plugin is told
 * ({@link Source#commit}), as a local run tells it. A poll that throws is retried per the pipeline's retry policy;
 * when the retries are exhausted the job fails without restarts, as a local run fails.
 */
final class StageSourceReader implements SourceReader<SourceItem, StageSplit> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** How long to wait before polling again a source that had nothing. */
    private static final long IDLE_MS = 5;

    private final JobSpec spec;
    private final String stage;
    private final SourceReaderContext context;
    private TaskPlans.Lease lease;
    private Source source;
    private RetryPolicy retry;
    private String plugin;
    /** The split being read (null: none), and its position. */
    private StageSplit current;

    private String positionJson;
    /** Splits assigned to this reader and not read yet. */
    private final Deque<StageSplit> queued = new ArrayDeque<>();

    private boolean noMoreSplits;
    private boolean requested;
    /** The position of the split being read at each checkpoint not completed yet (by split id). */
    private final TreeMap<Long, Map.Entry<String, Map<String, Object>>> positions = new TreeMap<>();

    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);

    StageSourceReader(JobSpec spec, String stage, SourceReaderContext context) {
        this.spec = spec;
        this.stage = stage;
        this.context = context;
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<StageSplit> splits) {
        queued.addAll(splits);
        requested = false;
        available.complete(null);
    }

    /** Starts reading {@code split}: a source instance for it, sought to its position. */
    private void open(StageSplit split) throws Exception {
        if (lease == null) {
            lease = TaskPlans.acquire(spec, context.getUserCodeClassLoader().asClassLoader());
            PipelinePlan plan = lease.plan();
            plugin = plan.stage(stage).component().pluginLabel();
            retry = plan.retry() == null
                    ? RetryPolicy.none()
                    : HostedPlugins.create(
                            plan.retry(),
                            RetryPolicy.class,
                            plan.definition(),
                            stage,
                            0,
                            1,
                            Clock.systemUTC(),
                            lease.engine().meters());
        }
        PipelinePlan plan = lease.plan();
        StagePlan s = plan.stage(stage);
        ComponentPlan component =
                split.file() == null ? s.component() : FileSplits.forFile(s.component(), split.file());
        source = HostedPlugins.create(
                component,
                Source.class,
                plan.definition(),
                stage,
                0,
                1,
                Clock.systemUTC(),
                lease.engine().meters());
        current = split;
        positionJson = split.positionJson();
        if (positionJson != null) {
            Map<String, Object> p = JSON.readValue(positionJson, MAP);
            try {
                source.seek(p);
            } catch (Exception e) {
                throw new Exception(
                        "stage '" + stage + "'" + (split.file() == null ? "" : " (file " + split.file() + ")")
                                + " cannot resume from its checkpointed position " + p + ": "
                                + HostedPlugins.message(e),
                        e);
            }
        }
    }

    /** The split's source ended: it is done (no checkpoint from now on holds it). */
    private void finishSplit() throws Exception {
        Source done = source;
        source = null;
        current = null;
        positionJson = null;
        done.close();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceItem> output) throws Exception {
        if (source == null) {
            StageSplit next = queued.poll();
            if (next != null) {
                try {
                    open(next);
                } catch (Exception e) {
                    throw new SuppressRestartsException(e);
                }
            } else if (noMoreSplits) {
                return InputStatus.END_OF_INPUT;
            } else {
                if (!requested) {
                    requested = true;
                    context.sendSplitRequest();
                }
                available = new CompletableFuture<>();
                return InputStatus.NOTHING_AVAILABLE;
            }
        }
        RecordBatch b = poll(spec.batchSize());
        if (b == null) {
            finishSplit();
            return InputStatus.MORE_AVAILABLE;
        }
        if (b.position() != null) positionJson = json(b.position());
        for (Rejection r : b.rejections()) output.collect(new SourceItem(r.record(), r.reason(), r.errorClass()));
        for (Record r : b) output.collect(SourceItem.read(r));
        if (b.isEmpty()) {
            available = CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(IDLE_MS, TimeUnit.MILLISECONDS));
            return InputStatus.NOTHING_AVAILABLE;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private RecordBatch poll(int max) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return source.poll(max);
            } catch (Throwable t) {
                HostedPlugins.rethrowFatal(t);
                Failure f =
                        new Failure(HostedPlugins.errorClass(t), HostedPlugins.message(t), t, attempt, stage, plugin);
                Optional<Duration> delay = io.dataflare.api.error.ErrorClass.INVALID_RECORD.equals(f.errorClass())
                        ? Optional.empty()
                        : retry.nextDelay(f);
                if (delay.isEmpty()) {
                    throw new SuppressRestartsException(new IllegalStateException(
                            "source '" + stage + "' (" + plugin + ") failed after " + attempt + " attempt(s): "
                                    + f.message(),
                            t));
                }
                if (delay.get().toMillis() > 0) Thread.sleep(delay.get().toMillis());
            }
        }
    }

    private static String json(Map<String, Object> position) {
        try {
            return JSON.writeValueAsString(position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<StageSplit> snapshotState(long checkpointId) {
        List<StageSplit> splits = new ArrayList<>();
        if (current != null) {
            splits.add(current.at(positionJson));
            if (positionJson != null) {
                try {
                    positions.put(checkpointId, Map.entry(current.splitId(), JSON.readValue(positionJson, MAP)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        splits.addAll(queued);
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        Map.Entry<Long, Map.Entry<String, Map<String, Object>>> done = positions.floorEntry(checkpointId);
        if (done == null) return;
        positions.headMap(checkpointId, true).clear();
        // a split that ended since has nothing left to commit to
        if (source != null && current.splitId().equals(done.getValue().getKey())) {
            source.commit(done.getValue().getValue());
        }
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        try {
            if (source != null) source.close();
        } finally {
            if (lease != null) lease.close();
        }
    }
}
