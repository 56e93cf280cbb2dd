package io.dataflare.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The one split of a source stage: the stage and the position its plugin last reported (the JSON of the
 * {@code position} map of its last batch, or null before the first), kept in Flink's checkpoints so that a
 * restored job seeks the plugin there.
 */
record StageSplit(String stage, String positionJson) implements SourceSplit {
    @Override
    public String splitId() {
        return stage;
    }

    /** Splits in checkpoints and between the enumerator and the reader. */
    static final class Serializer implements SimpleVersionedSerializer<StageSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(StageSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(split.stage());
                out.writeBoolean(split.positionJson() != null);
                if (split.positionJson() != null) {
                    byte[] p = split.positionJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(p.length);
                    out.write(p);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public StageSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) throw new IOException("unknown version " + version + " of a DataFlare source split");
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String stage = in.readUTF();
                if (!in.readBoolean()) return new StageSplit(stage, null);
                byte[] p = new byte[in.readInt()];
                in.readFully(p);
                return new StageSplit(stage, new String(p, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
