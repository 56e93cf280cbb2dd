package io.dataflare.flink;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A DataFlare source stage as a Flink source (the Source API): one split per stage, read by one reader that hosts
 * the plugin's source instance ({@link StageSourceReader}); the split carries the plugin's position, so a job
 * restored from a checkpoint seeks the plugin to where that checkpoint was taken. Whether a source ends is the
 * plugin's business (its {@code poll} returns null), so Flink sees every source as unbounded and the reader ends
 * the input when the plugin does.
 */
final class StageSource implements Source<SourceItem, StageSplit, Boolean> {
    private static final long serialVersionUID = 1L;
    private final JobSpec spec;
    private final String stage;

    StageSource(JobSpec spec, String stage) {
        this.spec = spec;
        this.stage = stage;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SourceItem, StageSplit> createReader(SourceReaderContext ctx) {
        return new StageSourceReader(spec, stage, ctx.getUserCodeClassLoader().asClassLoader());
    }

    @Override
    public SplitEnumerator<StageSplit, Boolean> createEnumerator(SplitEnumeratorContext<StageSplit> ctx) {
        return new Enumerator(ctx, stage, false);
    }

    @Override
    public SplitEnumerator<StageSplit, Boolean> restoreEnumerator(
            SplitEnumeratorContext<StageSplit> ctx, Boolean assigned) {
        return new Enumerator(ctx, stage, assigned);
    }

    @Override
    public SimpleVersionedSerializer<StageSplit> getSplitSerializer() {
        return new StageSplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new AssignedSerializer();
    }

    /**
     * Hands the stage's split to reader 0 once; a split given back (its reader failed before a checkpoint covered
     * the assignment) is handed out again. Its checkpoint is whether the split was assigned: from then on the
     * split, with its position, lives in the reader's state.
     */
    private static final class Enumerator implements SplitEnumerator<StageSplit, Boolean> {
        private final SplitEnumeratorContext<StageSplit> ctx;
        private final Deque<StageSplit> pending = new ArrayDeque<>();
        private boolean assigned;

        Enumerator(SplitEnumeratorContext<StageSplit> ctx, String stage, boolean assigned) {
            this.ctx = ctx;
            this.assigned = assigned;
            if (!assigned) pending.add(new StageSplit(stage, null));
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {}

        @Override
        public void addSplitsBack(List<StageSplit> splits, int subtask) {
            pending.addAll(splits);
        }

        @Override
        public void addReader(int subtask) {
            while (!pending.isEmpty()) {
                ctx.assignSplit(pending.poll(), subtask);
                assigned = true;
            }
            ctx.signalNoMoreSplits(subtask);
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return assigned && pending.isEmpty();
        }

        @Override
        public void close() {}
    }

    private static final class AssignedSerializer implements SimpleVersionedSerializer<Boolean> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Boolean assigned) {
            return new byte[] {(byte) (assigned ? 1 : 0)};
        }

        @Override
        public Boolean deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 || serialized.length != 1) throw new IOException("not a DataFlare enumerator state");
            return serialized[0] == 1;
        }
    }
}
