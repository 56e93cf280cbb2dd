package io.dataflare.wasm.codec;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.json.RecordJson;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary batch encoding ({@code df_encoding() == 1} or {@code 2}), little-endian:
 * <pre>
 * batch  := u32 nnames, str*  u32 nrecords, record*  u32 nrejected, (i32 in, str reason)*
 * record := i32 in (-1: a new record), u32 nfields, (u32 name_index, value)*
 *         | i32 in, u32 (0x80000000 | nmore), (u32 name_index, value)*    (output only: input record in's
 *           fields unchanged, then nmore more: nothing of the input crosses back)
 * value  := u8 tag: 0 null | 1 false | 2 true | 3 i64 | 4 f64 | 5 str | 6 bytes (u32 len, data)
 *           | 7 timestamp (i64 epoch seconds, u32 nanos) | 8 list (u32 n, value*) | 9 map (u32 n, (str, value)*)
 *           | 10 decimal (str: its digits, "-12.50", or "1E+60" far from zero)
 * str    := u32 len, UTF-8
 * </pre>
 * Field names are sent once per batch: records refer to them by index. Modules of encoding 1 predate the
 * decimal tag: they are sent decimals as strings (tag 5), and a string coming back in a field that held a
 * decimal is read as a decimal again. Output may use tag 10 with either encoding.
 */
public final class BinaryBatchCodec implements BatchCodec {
    static final int NULL = 0,
            FALSE = 1,
            TRUE = 2,
            LONG = 3,
            DOUBLE = 4,
            STRING = 5,
            BYTES = 6,
            TIMESTAMP = 7,
            LIST = 8,
            MAP = 9,
            DECIMAL = 10;

    private static final int MAX_KEPT_BUFFER = 8 << 20;
    // set in an output record's field count: the fields of input record $in come first, unchanged
    static final int REFERENCE = 0x8000_0000;

    private final boolean decimalTag;
    // set by encode when a decimal went out as a string: decode then looks for strings to read back as decimals
    private boolean decimalsAsText;
    // the last encoded batch's layout, for decoding the output records that copy its records' fields unchanged
    private EncodedInput encoded;
    // the encoding buffer, kept from batch to batch (a fresh one each time was a tenth of a call)
    private ByteWriter writer = new ByteWriter(4096);
    // the names and values a reference adds, read before its shape is known; reused record after record
    private int[] addedNames = new int[8];
    private Object[] addedValues = new Object[8];

    /** A codec for encoding 2 ({@code decimalTag}) or 1 (decimals sent as strings). */
    public BinaryBatchCodec(boolean decimalTag) {
        this.decimalTag = decimalTag;
    }

    @Override
    public String name() {
        return "binary";
    }

    @Override
    public ByteBuffer encodeShared(RecordBatch batch) {
        // a buffer grown by one unusually large batch is not kept
        if (writer.capacity() > MAX_KEPT_BUFFER) writer = new ByteWriter(4096);
        ByteWriter w = writer;
        w.clear();
        decimalsAsText = false;
        Map<String, Integer> names = new LinkedHashMap<>();
        Fields last = null;
        int[] lastIndex = null;
        // field indices per record shape: consecutive records usually share one Fields
        int[][] indices = new int[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            if (r.fields() != last) {
                last = r.fields();
                lastIndex = new int[r.size()];
                for (int f = 0; f < r.size(); f++)
                    lastIndex[f] = names.computeIfAbsent(r.fieldName(f), k -> names.size());
            }
            indices[i] = lastIndex;
        }
        w.u32(names.size());
        for (String n : names.keySet()) w.str(n);
        w.u32(batch.size());
        int[] start = new int[batch.size()];
        int[] end = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            w.u32(i);
            w.u32(r.size());
            start[i] = EncodedInput.plain(r) ? w.size() : -1;
            for (int f = 0; f < r.size(); f++) {
                w.u32(indices[i][f]);
                writeValue(w, r.value(f));
            }
            end[i] = w.size();
        }
        w.u32(0);
        encoded = new EncodedInput(batch, w.array(), names.keySet().toArray(new String[0]), start, end, indices);
        return ByteBuffer.wrap(w.array(), 0, w.size());
    }

    private void writeValue(ByteWriter w, Object v) {
        if (v == null) w.u8(NULL);
        else if (v instanceof Boolean b) w.u8(b ? TRUE : FALSE);
        else if (v instanceof Long l) {
            w.u8(LONG);
            w.i64(l);
        } else if (v instanceof Double d) {
            w.u8(DOUBLE);
            w.i64(Double.doubleToRawLongBits(d));
        } else if (v instanceof String s) {
            w.u8(STRING);
            w.str(s);
        } else if (v instanceof byte[] b) {
            w.u8(BYTES);
            w.u32(b.length);
            w.bytes(b);
        } else if (v instanceof BigDecimal d) {
            if (decimalTag) {
                w.u8(DECIMAL);
            } else {
                w.u8(STRING);
                decimalsAsText = true;
            }
            w.str(RecordJson.decimalText(d));
        } else if (v instanceof Instant t) {
            w.u8(TIMESTAMP);
            w.i64(t.getEpochSecond());
            w.u32(t.getNano());
        } else if (v instanceof List<?> l) {
            w.u8(LIST);
            w.u32(l.size());
            for (Object o : l) writeValue(w, o);
        } else if (v instanceof Map<?, ?> m) {
            w.u8(MAP);
            w.u32(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w.str(String.valueOf(e.getKey()));
                writeValue(w, e.getValue());
            }
        } else {
            throw new IllegalArgumentException(
                    "not a record value: " + v.getClass().getName());
        }
    }

    @Override
    public RecordBatch decode(byte[] output, RecordBatch input) {
        ByteBuffer b = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
        OutputBuilder out = new OutputBuilder(input);
        try {
            String[] names = new String[count(b)];
            for (int i = 0; i < names.length; i++) names[i] = str(b);
            EncodedInput copies =
                    encoded != null && input != null && encoded.describes(input) && encoded.namesArePrefixOf(names)
                            ? encoded
                            : null;
            Map<ShapeKey, Fields> shapes = new HashMap<>();
            ExtendedShapes extended = new ExtendedShapes();
            int[] lastIdx = null;
            Fields lastFields = null;
            for (int n = count(b); n > 0; n--) {
                int in = b.getInt();
                int header = b.getInt();
                if ((header & REFERENCE) != 0) {
                    // the input record's fields by reference, then more fields
                    out.add(extend(out.origin(in, "a reference"), header & ~REFERENCE, names, b, extended), in);
                    continue;
                }
                b.position(b.position() - 4);
                int nfields = count(b);
                // fields copied unchanged from the input record it names: its values, nothing to read
                int copied = copies == null ? -1 : copies.copiedFields(in, output, b.position());
                if (copied >= 0 && copied <= nfields) {
                    b.position(b.position() + copies.length(in));
                    out.add(extend(copies.record(in), nfields - copied, names, b, extended), in);
                    continue;
                }
                int[] idx = new int[nfields];
                Object[] values = new Object[nfields];
                for (int f = 0; f < idx.length; f++) {
                    idx[f] = nameIndex(b, names);
                    values[f] = readValue(b);
                }
                Fields fields;
                if (Arrays.equals(idx, lastIdx)) {
                    fields = lastFields;
                } else {
                    fields = shapes.computeIfAbsent(new ShapeKey(idx), k -> {
                        String[] fn = new String[idx.length];
                        for (int f = 0; f < idx.length; f++) fn[f] = names[idx[f]];
                        return Fields.of(fn);
                    });
                    lastIdx = idx;
                    lastFields = fields;
                }
                Record.Builder rb = Record.builder(fields);
                Record origin = decimalsAsText ? out.origin(in) : null;
                for (int f = 0; f < values.length; f++) {
                    Object v = values[f];
                    if (origin != null && v instanceof String)
                        v = RecordJson.restoreLike(v, origin.get(fields.name(f)));
                    rb.set(f, v);
                }
                out.add(rb, in);
            }
            if (b.hasRemaining()) {
                for (int n = count(b); n > 0; n--) {
                    int in = b.getInt();
                    out.reject(in, str(b));
                }
            }
        } catch (BufferUnderflowException e) {
            throw new MalformedOutputException("binary output ends early", e);
        } catch (IllegalArgumentException e) {
            throw new MalformedOutputException("binary output is invalid: " + e.getMessage(), e);
        } finally {
            if (input != null && encoded != null && encoded.describes(input)) encoded = null; // let the batch go
        }
        return out.build();
    }

    /**
     * Input record {@code origin} with the {@code more} fields that follow it in the output (a reference): its
     * values taken over as they are, its metadata left to {@link OutputBuilder#add(Record.Builder, int)}. The
     * shape is made once per batch for each input shape and added names (one linear {@link Fields#of}, never
     * cached beyond the batch, so a module cannot multiply shapes the host keeps).
     */
    private Record.Builder extend(Record origin, int more, String[] names, ByteBuffer b, ExtendedShapes shapes) {
        if (more > b.remaining()) throw new MalformedOutputException("count " + more + " exceeds the output", null);
        if (more > addedNames.length) {
            addedNames = new int[more];
            addedValues = new Object[more];
        }
        int[] idx = addedNames;
        Object[] added = addedValues;
        for (int f = 0; f < more; f++) {
            idx[f] = nameIndex(b, names);
            added[f] = readValue(b);
        }
        Fields fields = shapes.of(origin.fields(), idx, more, names);
        int have = origin.size();
        Record.Builder rb = Record.builder(fields);
        for (int f = 0; f < have; f++) rb.set(f, origin.value(f));
        for (int f = 0; f < more; f++) {
            rb.set(have + f, added[f]);
            added[f] = null;
        }
        return rb;
    }

    private static int nameIndex(ByteBuffer b, String[] names) {
        int i = b.getInt();
        if (i < 0 || i >= names.length)
            throw new MalformedOutputException("field name index " + i + " out of range", null);
        return i;
    }

    private static int count(ByteBuffer b) {
        int n = b.getInt();
        // a count can never exceed the bytes left: this stops absurd counts before any allocation
        if (n < 0 || n > b.remaining())
            throw new MalformedOutputException("count " + Integer.toUnsignedString(n) + " exceeds the output", null);
        return n;
    }

    private static String str(ByteBuffer b) {
        int len = count(b);
        String s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    private static Object readValue(ByteBuffer b) {
        int tag = b.get();
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case LONG:
                return b.getLong();
            case DOUBLE:
                return b.getDouble();
            case STRING:
                return str(b);
            case BYTES: {
                byte[] d = new byte[count(b)];
                b.get(d);
                return d;
            }
            case TIMESTAMP:
                return Instant.ofEpochSecond(b.getLong(), Integer.toUnsignedLong(b.getInt()));
            case DECIMAL:
                return FieldType.DECIMAL.convert(str(b));
            case LIST: {
                int n = count(b);
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) l.add(readValue(b));
                return l;
            }
            case MAP: {
                int n = count(b);
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) m.put(str(b), readValue(b));
                return m;
            }
            default:
                throw new MalformedOutputException("unknown value tag " + tag, null);
        }
    }

    /**
     * The shapes of one batch's references: an input shape plus the names added to it. Consecutive references
     * usually add the same names to the same shape: that one is at hand without a key or a map look-up.
     */
    private static final class ExtendedShapes {
        private final Map<ExtendedShape, Fields> made = new HashMap<>();
        private Fields lastOrigin;
        private int[] lastAdded;
        private Fields last;

        /** {@code origin} followed by the names at the first {@code more} indices of {@code idx}. */
        Fields of(Fields origin, int[] idx, int more, String[] names) {
            if (origin == lastOrigin && Arrays.equals(idx, 0, more, lastAdded, 0, lastAdded.length)) return last;
            int[] added = Arrays.copyOf(idx, more);
            last = made.computeIfAbsent(new ExtendedShape(origin, added), k -> {
                String[] all = origin.names().toArray(new String[origin.size() + more]);
                for (int f = 0; f < more; f++) all[origin.size() + f] = names[added[f]];
                return Fields.of(all);
            });
            lastOrigin = origin;
            lastAdded = added;
            return last;
        }
    }

    /** An input record's shape (by identity) plus the names a reference adds to it. */
    private record ExtendedShape(Fields origin, int[] added) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ExtendedShape k && origin == k.origin && Arrays.equals(added, k.added);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(origin) * 31 + Arrays.hashCode(added);
        }
    }

    private record ShapeKey(int[] idx) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ShapeKey k && Arrays.equals(idx, k.idx);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(idx);
        }
    }

    /** A growable little-endian byte buffer. */
    static final class ByteWriter {
        // one store per int or long rather than one per byte
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle LONG =
                MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        private byte[] buf;
        private int size;

        ByteWriter(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        private void ensure(int n) {
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }

        void u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void u32(int v) {
            ensure(4);
            INT.set(buf, size, v);
            size += 4;
        }

        void i64(long v) {
            ensure(8);
            LONG.set(buf, size, v);
            size += 8;
        }

        /** A tag followed by an i64 (a long, a double's bits): one bounds check for both. */
        void tagged(int tag, long v) {
            ensure(9);
            buf[size] = (byte) tag;
            LONG.set(buf, size + 1, v);
            size += 9;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the exact, copy-free ASCII copy
        void str(String s) {
            // Most text is ASCII, its chars its UTF-8 bytes: found without writing, then copied in one go
            int n = s.length();
            int i = 0;
            while (i < n && s.charAt(i) < 0x80) i++;
            if (i == n) {
                ensure(4 + n);
                INT.set(buf, size, n);
                s.getBytes(0, n, buf, size + 4);
                size += 4 + n;
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + b.length);
            INT.set(buf, size, b.length);
            System.arraycopy(b, 0, buf, size + 4, b.length);
            size += 4 + b.length;
        }

        int size() {
            return size;
        }

        int capacity() {
            return buf.length;
        }

        void clear() {
            size = 0;
        }

        /** The buffer itself: the bytes written are those before {@link #size()}. */
        byte[] array() {
            return buf;
        }
    }
}
