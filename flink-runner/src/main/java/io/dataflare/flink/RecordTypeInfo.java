package io.dataflare.flink;

import io.dataflare.api.data.Record;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for DataFlare records: they travel with {@link RecordSerializer}. */
public final class RecordTypeInfo extends TypeInformation<Record> {
    private static final long serialVersionUID = 1L;
    public static final RecordTypeInfo INSTANCE = new RecordTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Record> getTypeClass() {
        return Record.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Record> createSerializer(SerializerConfig config) {
        return new RecordSerializer();
    }

    @Override
    public String toString() {
        return "DataFlare Record";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return RecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordTypeInfo;
    }
}
