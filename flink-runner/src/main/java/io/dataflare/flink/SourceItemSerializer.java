package io.dataflare.flink;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link SourceItem}s as a {@link RecordSerializer} record plus the rejection's reason and class, when rejected. */
final class SourceItemSerializer extends TypeSerializer<SourceItem> {
    private static final long serialVersionUID = 1L;
    private final RecordSerializer records = new RecordSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<SourceItem> duplicate() {
        return new SourceItemSerializer();
    }

    @Override
    public SourceItem createInstance() {
        return SourceItem.read(records.createInstance());
    }

    @Override
    public SourceItem copy(SourceItem from) {
        return from;
    }

    @Override
    public SourceItem copy(SourceItem from, SourceItem reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SourceItem item, DataOutputView out) throws IOException {
        out.writeBoolean(item.rejected());
        if (item.rejected()) {
            out.writeUTF(item.errorClass());
            byte[] reason = item.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(reason.length);
            out.write(reason);
        }
        records.serialize(item.record(), out);
    }

    @Override
    public SourceItem deserialize(DataInputView in) throws IOException {
        if (!in.readBoolean()) return SourceItem.read(records.deserialize(in));
        String errorClass = in.readUTF();
        byte[] reason = new byte[in.readInt()];
        in.readFully(reason);
        return new SourceItem(
                records.deserialize(in), new String(reason, java.nio.charset.StandardCharsets.UTF_8), errorClass);
    }

    @Override
    public SourceItem deserialize(SourceItem reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceItemSerializer;
    }

    @Override
    public int hashCode() {
        return SourceItemSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SourceItem> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's identity in checkpoints (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SourceItem> {
        public Snapshot() {
            super(SourceItemSerializer::new);
        }
    }

    /** Flink's type information for {@link SourceItem}s. */
    static final class TypeInfo extends OpaqueTypeInfo<SourceItem> {
        private static final long serialVersionUID = 1L;

        TypeInfo() {
            super(SourceItem.class, "DataFlare SourceItem");
        }

        @Override
        public TypeSerializer<SourceItem> createSerializer(SerializerConfig config) {
            return new SourceItemSerializer();
        }
    }
}
