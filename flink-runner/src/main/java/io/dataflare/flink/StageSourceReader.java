package io.dataflare.flink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.source.Source;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.runtime.HostedPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Reads a source stage's split: polls the plugin's source for a batch per call (the pipeline's batch size), emits
 * its records and its rejections, and remembers the batch's position for the next checkpoint. When a checkpoint is
 * complete the plugin is told ({@link Source#commit}), as a local run tells it. A poll that throws is retried per
 * the pipeline's retry policy; when the retries are exhausted the job fails without restarts, as a local run fails.
 */
final class StageSourceReader implements SourceReader<SourceItem, StageSplit> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** How long to wait before polling again a source that had nothing. */
    private static final long IDLE_MS = 5;

    private final JobSpec spec;
    private final String stage;
    private TaskPlans.Lease lease;
    private Source source;
    private RetryPolicy retry;
    private String plugin;
    private String positionJson;
    private boolean noMoreSplits;
    private boolean exhausted;
    private boolean hasSplit;
    private final TreeMap<Long, Map<String, Object>> positions = new TreeMap<>();
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);

    private final ClassLoader jobClassLoader;

    StageSourceReader(JobSpec spec, String stage, ClassLoader jobClassLoader) {
        this.spec = spec;
        this.stage = stage;
        this.jobClassLoader = jobClassLoader;
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<StageSplit> splits) {
        for (StageSplit split : splits) {
            if (hasSplit) throw new IllegalStateException("source '" + stage + "' got a second split: " + split);
            hasSplit = true;
            try {
                open(split.positionJson());
            } catch (Exception e) {
                throw new SuppressRestartsException(e);
            }
        }
        available.complete(null);
    }

    private void open(String position) throws Exception {
        lease = TaskPlans.acquire(spec, jobClassLoader);
        PipelinePlan plan = lease.plan();
        StagePlan s = plan.stage(stage);
        plugin = s.component().pluginLabel();
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
        source = HostedPlugins.create(
                s.component(),
                Source.class,
                plan.definition(),
                stage,
                0,
                1,
                Clock.systemUTC(),
                lease.engine().meters());
        if (position != null) {
            Map<String, Object> p = JSON.readValue(position, MAP);
            try {
                source.seek(p);
            } catch (Exception e) {
                throw new Exception(
                        "stage '" + stage + "' cannot resume from its checkpointed position " + p + ": "
                                + HostedPlugins.message(e),
                        e);
            }
            positionJson = position;
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceItem> output) throws Exception {
        if (source == null || exhausted) {
            if (noMoreSplits) return InputStatus.END_OF_INPUT;
            available = new CompletableFuture<>();
            return InputStatus.NOTHING_AVAILABLE;
        }
        RecordBatch b = poll(spec.batchSize());
        if (b == null) {
            exhausted = true;
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
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
        if (!hasSplit) return List.of();
        if (positionJson != null) {
            try {
                positions.put(checkpointId, JSON.readValue(positionJson, MAP));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.of(new StageSplit(stage, positionJson));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        Map.Entry<Long, Map<String, Object>> done = positions.floorEntry(checkpointId);
        if (done == null) return;
        positions.headMap(checkpointId, true).clear();
        if (source != null) source.commit(done.getValue());
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
