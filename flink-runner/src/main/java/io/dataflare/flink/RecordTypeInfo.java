package io.dataflare.flink;

import io.dataflare.api.data.Record;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for DataFlare records: they travel with {@link RecordSerializer}. */
public final class RecordTypeInfo extends OpaqueTypeInfo<Record> {
    private static final long serialVersionUID = 1L;
    public static final RecordTypeInfo INSTANCE = new RecordTypeInfo();

    private RecordTypeInfo() {
        super(Record.class, "DataFlare Record");
    }

    @Override
    public TypeSerializer<Record> createSerializer(SerializerConfig config) {
        return new RecordSerializer();
    }
}
