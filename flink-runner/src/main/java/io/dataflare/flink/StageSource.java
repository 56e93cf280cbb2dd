package io.dataflare.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * A DataFlare source stage as a Flink source (the Source API): one split for the stage, or one per file of a file
 * source's glob ({@link FileSplits}), each read by a reader that hosts a plugin source instance for it
 * ({@link StageSourceReader}); a split carries its plugin's position, so a job restored from a checkpoint seeks each
 * split to where that checkpoint was taken. Readers ask for a split whenever they have none, so the files spread over
 * the readers as they finish theirs. Whether a source ends is the plugin's business (its {@code poll} returns null),
 * so Flink sees every source as unbounded and a reader ends its input when no split is left.
 */
final class StageSource implements Source<SourceItem, StageSplit, List<StageSplit>> {
    private static final long serialVersionUID = 1L;
    private final JobSpec spec;
    private final String stage;
    /** The files of the stage, one split each; empty: one split for the whole stage. */
    private final List<String> files;

    StageSource(JobSpec spec, String stage, List<String> files) {
        this.spec = spec;
        this.stage = stage;
        this.files = new ArrayList<>(files);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SourceItem, StageSplit> createReader(SourceReaderContext ctx) {
        return new StageSourceReader(spec, stage, ctx);
    }

    @Override
    public SplitEnumerator<StageSplit, List<StageSplit>> createEnumerator(SplitEnumeratorContext<StageSplit> ctx) {
        List<StageSplit> splits = new ArrayList<>();
        if (files.isEmpty()) splits.add(new StageSplit(stage, null, null));
        for (String f : files) splits.add(new StageSplit(stage, f, null));
        return new Enumerator(ctx, splits);
    }

    @Override
    public SplitEnumerator<StageSplit, List<StageSplit>> restoreEnumerator(
            SplitEnumeratorContext<StageSplit> ctx, List<StageSplit> unassigned) {
        return new Enumerator(ctx, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<StageSplit> getSplitSerializer() {
        return new StageSplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<List<StageSplit>> getEnumeratorCheckpointSerializer() {
        return new UnassignedSerializer();
    }

    /**
     * Hands the next unassigned split to a reader that asks for one, in order, and tells a reader that asks when
     * none is left that no more come. Its checkpoint is the splits not assigned yet: an assigned split, with its
     * position, lives in its reader's state; a split given back (its reader failed before a checkpoint covered the
     * assignment) is handed out again.
     */
    private static final class Enumerator implements SplitEnumerator<StageSplit, List<StageSplit>> {
        private final SplitEnumeratorContext<StageSplit> ctx;
        private final Deque<StageSplit> pending;

        Enumerator(SplitEnumeratorContext<StageSplit> ctx, List<StageSplit> splits) {
            this.ctx = ctx;
            this.pending = new ArrayDeque<>(splits);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {
            StageSplit next = pending.poll();
            if (next != null) ctx.assignSplit(next, subtask);
            else ctx.signalNoMoreSplits(subtask);
        }

        @Override
        public void addSplitsBack(List<StageSplit> splits, int subtask) {
            // they go first, in their order: they were handed out before the rest
            for (int i = splits.size() - 1; i >= 0; i--) pending.addFirst(splits.get(i));
        }

        @Override
        public void addReader(int subtask) {}

        @Override
        public List<StageSplit> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    private static final class UnassignedSerializer implements SimpleVersionedSerializer<List<StageSplit>> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(List<StageSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (StageSplit s : splits) StageSplit.Serializer.write(out, s);
            }
            return bytes.toByteArray();
        }

        @Override
        public List<StageSplit> deserialize(int version, byte[] serialized) throws IOException {
            if (version != 2) throw new IOException("not a DataFlare enumerator state (version " + version + ")");
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<StageSplit> splits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) splits.add(StageSplit.Serializer.read(in));
                return splits;
            }
        }
    }
}
