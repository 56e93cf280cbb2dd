package io.dataflare.flink;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Records between Flink tasks and in checkpoints: the field names, each value with a one-byte tag for its record
 * type (so a {@code long} stays a long and a decimal keeps every digit), the key, the headers and the event time.
 * Records are immutable, so copies are the record itself. Flink's generic (Kryo) fallback is never used for them.
 */
public final class RecordSerializer extends TypeSerializer<Record> {
    private static final long serialVersionUID = 1L;
    static final RecordSerializer INSTANCE = new RecordSerializer();

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte DECIMAL = 5;
    private static final byte STRING = 6;
    private static final byte BYTES = 7;
    private static final byte TIMESTAMP = 8;
    private static final byte LIST = 9;
    private static final byte MAP = 10;

    /** The field names of the last record read: consecutive records of one shape share one {@link Fields}. */
    private transient Fields lastFields;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<Record> duplicate() {
        // the field-name cache is per instance: each thread gets its own
        return new RecordSerializer();
    }

    @Override
    public Record createInstance() {
        return Record.builder().build();
    }

    @Override
    public Record copy(Record from) {
        return from;
    }

    @Override
    public Record copy(Record from, Record reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Record r, DataOutputView out) throws IOException {
        int n = r.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeUTF(r.fieldName(i));
        for (int i = 0; i < n; i++) writeValue(r.value(i), out);
        writeValue(r.key(), out);
        Map<String, String> headers = r.headers();
        out.writeInt(headers.size());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            out.writeUTF(h.getKey());
            writeString(h.getValue(), out);
        }
        writeValue(r.eventTime(), out);
    }

    @Override
    public Record deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) names[i] = in.readUTF();
        Fields fields = lastFields;
        if (fields == null || !fields.names().equals(List.of(names))) {
            fields = Fields.of(names);
            lastFields = fields;
        }
        Record.Builder b = Record.builder(fields);
        for (int i = 0; i < n; i++) b.set(i, readValue(in));
        Object key = readValue(in);
        if (key != null) b.key(key);
        int h = in.readInt();
        if (h > 0) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < h; i++) headers.put(in.readUTF(), readString(in));
            b.headers(headers);
        }
        Object eventTime = readValue(in);
        if (eventTime != null) b.eventTime((Instant) eventTime);
        return b.build();
    }

    @Override
    public Record deserialize(Record reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeValue(Object v, DataOutputView out) throws IOException {
        switch (v) {
            case null -> out.writeByte(NULL);
            case Boolean bool -> out.writeByte(bool ? TRUE : FALSE);
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case BigDecimal d -> {
                out.writeByte(DECIMAL);
                out.writeInt(d.scale());
                byte[] unscaled = d.unscaledValue().toByteArray();
                out.writeInt(unscaled.length);
                out.write(unscaled);
            }
            case String s -> {
                out.writeByte(STRING);
                writeString(s, out);
            }
            case byte[] bytes -> {
                out.writeByte(BYTES);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case Instant t -> {
                out.writeByte(TIMESTAMP);
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
            case List<?> list -> {
                out.writeByte(LIST);
                out.writeInt(list.size());
                for (Object e : list) writeValue(e, out);
            }
            case Map<?, ?> map -> {
                out.writeByte(MAP);
                out.writeInt(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeString(String.valueOf(e.getKey()), out);
                    writeValue(e.getValue(), out);
                }
            }
            default ->
                throw new IOException(
                        "a record value of type " + v.getClass().getName() + " cannot be sent between Flink tasks");
        }
    }

    private static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case DECIMAL -> {
                int scale = in.readInt();
                byte[] unscaled = new byte[in.readInt()];
                in.readFully(unscaled);
                yield new BigDecimal(new BigInteger(unscaled), scale);
            }
            case STRING -> readString(in);
            case BYTES -> {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                yield bytes;
            }
            case TIMESTAMP -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case LIST -> {
                int n = in.readInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(readValue(in));
                yield list;
            }
            case MAP -> {
                int n = in.readInt();
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) map.put(readString(in), readValue(in));
                yield map;
            }
            default -> throw new IOException("corrupt record data: unknown value tag " + tag);
        };
    }

    /** Strings of any length (writeUTF stops at 64 KiB). */
    private static void writeString(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordSerializer;
    }

    @Override
    public int hashCode() {
        return RecordSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Record> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's identity in checkpoints (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Record> {
        public Snapshot() {
            super(RecordSerializer::new);
        }
    }
}
