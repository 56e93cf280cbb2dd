package io.dataflare.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A split of a source stage: the whole stage, or one file of a file source's glob ({@link FileSplits}), and the
 * position its plugin last reported (the JSON of the {@code position} map of its last batch, or null before the
 * first), kept in Flink's checkpoints so that a restored job seeks the plugin there.
 *
 * @param stage        the source stage
 * @param file         the one file this split reads, or null for the whole stage
 * @param positionJson where the plugin is, or null when it has not read yet
 */
record StageSplit(String stage, String file, String positionJson) implements SourceSplit {
    @Override
    public String splitId() {
        return file == null ? stage : stage + ":" + file;
    }

    StageSplit at(String position) {
        return new StageSplit(stage, file, position);
    }

    /** Splits in checkpoints and between the enumerator and the reader. */
    static final class Serializer implements SimpleVersionedSerializer<StageSplit> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(StageSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, split);
            }
            return bytes.toByteArray();
        }

        @Override
        public StageSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 2) throw new IOException("unknown version " + version + " of a DataFlare source split");
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return read(in);
            }
        }

        static void write(DataOutputStream out, StageSplit split) throws IOException {
            out.writeUTF(split.stage());
            writeNullable(out, split.file());
            writeNullable(out, split.positionJson());
        }

        static StageSplit read(DataInputStream in) throws IOException {
            return new StageSplit(in.readUTF(), readNullable(in), readNullable(in));
        }

        private static void writeNullable(DataOutputStream out, String s) throws IOException {
            out.writeBoolean(s != null);
            if (s == null) return;
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private static String readNullable(DataInputStream in) throws IOException {
            if (!in.readBoolean()) return null;
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
