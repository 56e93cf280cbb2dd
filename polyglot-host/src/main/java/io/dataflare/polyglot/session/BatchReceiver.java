package io.dataflare.polyglot.session;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host side of a batch's results: the driver calls {@link #emitShape} when the field names of its
 * output change, {@link #emit} once per output record ({@code emit(i, floatMask, decimalMask, v0..vn)},
 * {@code i} the input it came from, whose key, headers and event time it keeps; a decimal mask bit marks a
 * value that is the text of a decimal), {@link #keep} for a filter's kept input
 * (no copy: the input record itself goes on), and {@link #reject} for {@code ctx.reject}. One per
 * processor instance, reused for every batch.
 *
 * <p>A driver that writes its results into host arrays instead (both do) gets them once per context
 * ({@link #rowInput}, {@link #rowShape}, {@link #values}), asks for a number per list of field names
 * ({@link #shapeId}) and calls {@link #flush}{@code (n)} when the arrays are full and at the end of a call:
 * row k came from input {@code rowInput[k]} (or none, -1), has the shape numbered {@code rowShape[k]} (-1: the
 * input record itself goes on) and that shape's values next in {@code values}. Only strings, numbers,
 * booleans and nulls go that way; anything else comes by {@link #emit}, after a flush, so order is kept.
 */
final class BatchReceiver {
    private static final int MAX_SHAPES = 256;
    static final int ROWS = 1024;
    static final int VALUES = 16 * 1024;

    final int[] rowInput = new int[ROWS];
    final int[] rowShape = new int[ROWS];
    final Object[] values = new Object[VALUES];
    final ProxyExecutable flush = args -> {
        drain(args[0].asInt());
        return null;
    };
    final ProxyExecutable shapeId = args -> shapeId(args);

    final ProxyExecutable emit = args -> {
        emit(args);
        return null;
    };
    final ProxyExecutable emitShape = args -> {
        shape(args);
        return null;
    };
    final ProxyExecutable keep = args -> {
        keep(args[0].asInt());
        return null;
    };

    /** Whether a {@code Double} in the host arrays is a float the guest typed as one (see {@link GuestValues#fromHost}). */
    private final boolean typedFloats;

    private final Map<Fields, Fields> shapes = new HashMap<>();
    private final Map<Fields, Integer> numbered = new HashMap<>();
    private final List<Fields> byNumber = new ArrayList<>();
    private RecordBatch input = RecordBatch.EMPTY;
    private RecordBatch.Builder out = RecordBatch.builder();
    private Fields shape = Fields.EMPTY;
    // output field j -> the index of the same field in the input shape mapFrom, or -1 (cached per shape pair)
    private Fields mapFrom;
    private Fields mapTo;
    private int[] fieldMap;

    /** Gives a copy of the driver that writes its results into host arrays (one with {@code output}) those arrays. */
    void bind(Value driver) {
        Value output = driver.getMember("output");
        if (output != null) output.executeVoid(rowInput, rowShape, values, flush, shapeId);
    }

    BatchReceiver(boolean typedFloats) {
        this.typedFloats = typedFloats;
    }

    private void keep(int i) {
        out.add(input.get(i));
    }

    void begin(RecordBatch batch) {
        input = batch;
        out = RecordBatch.builder(Math.max(batch.size(), 1));
    }

    RecordBatch finish() {
        RecordBatch b = out.build();
        input = RecordBatch.EMPTY;
        return b;
    }

    /** Drops a failed call's partial output. */
    void abandon() {
        out = RecordBatch.builder();
        input = RecordBatch.EMPTY;
    }

    void reject(int i, String reason) {
        if (i < 0 || i >= input.size()) {
            throw new IllegalArgumentException("ctx.reject(record, reason): the record is not one of this batch's");
        }
        out.reject(input.get(i), reason);
    }

    private void shape(Value[] keys) {
        String[] names = new String[keys.length];
        for (int j = 0; j < names.length; j++) names[j] = keys[j].asString();
        Fields f = Fields.of(names);
        Fields known = shapes.get(f);
        if (known == null) {
            if (shapes.size() >= MAX_SHAPES) shapes.clear();
            shapes.put(f, f);
            known = f;
        }
        shape = known; // one Fields instance per shape, so records of a shape share it
    }

    private Object shapeId(Value[] keys) {
        String[] names = new String[keys.length];
        for (int j = 0; j < names.length; j++) names[j] = keys[j].asString();
        return numbered.computeIfAbsent(Fields.of(names), f -> {
            byNumber.add(f);
            return byNumber.size() - 1;
        });
    }

    /** Takes the first {@code rows} rows of the host arrays (see the class comment). */
    private void drain(int rows) {
        if (rows < 0 || rows > ROWS) throw new IllegalStateException("the driver flushed " + rows + " rows");
        int p = 0;
        for (int k = 0; k < rows; k++) {
            int i = rowInput[k];
            int id = rowShape[k];
            if (id < 0) {
                keep(i);
                continue;
            }
            Fields to = byNumber.get(id);
            int n = to.size();
            Record src = i >= 0 ? input.get(i) : null;
            int[] map = src == null ? null : fieldMap(src.fields(), to);
            Record.Builder b = Record.builder(to);
            for (int j = 0; j < n; j++) {
                Object before = map != null && map[j] >= 0 ? src.value(map[j]) : null;
                b.set(j, GuestValues.fromHost(values[p + j], before, typedFloats));
            }
            p += n;
            from(src, b);
        }
        Arrays.fill(values, 0, p, null);
    }

    private void from(Record src, Record.Builder b) {
        if (src != null) {
            b.key(src.key()).eventTime(src.eventTime());
            if (!src.headers().isEmpty()) b.headers(src.headers());
        }
        out.add(b.build());
    }

    private void emit(Value[] args) {
        int i = args[0].asInt();
        int n = args.length - 3;
        if (n != shape.size())
            throw new IllegalStateException("the driver sent " + n + " values for " + shape.size() + " fields");
        Value maskValue = args[1];
        long mask = maskValue.fitsInLong() ? maskValue.asLong() : -1;
        BigInteger bigMask = mask == -1 ? maskValue.asBigInteger() : null;
        Value decimalValue = args[2];
        long decimals = decimalValue.fitsInLong() ? decimalValue.asLong() : -1;
        BigInteger bigDecimals = decimals == -1 ? decimalValue.asBigInteger() : null;
        Record src = i >= 0 ? input.get(i) : null;
        int[] map = src == null ? null : fieldMap(src.fields(), shape);
        Record.Builder b = Record.builder(shape);
        for (int j = 0; j < n; j++) {
            boolean isFloat = bigMask != null ? bigMask.testBit(j) : j < 63 && (mask >>> j & 1) != 0;
            boolean isDecimal = decimals != 0
                    && (bigDecimals != null ? bigDecimals.testBit(j) : j < 63 && (decimals >>> j & 1) != 0);
            Object before = map != null && map[j] >= 0 ? src.value(map[j]) : null;
            Value v = args[j + 3];
            b.set(
                    j,
                    isDecimal
                            ? FieldType.DECIMAL.convert(v.asString())
                            : GuestValues.toRecordValue(v, isFloat, before));
        }
        from(src, b);
    }

    private int[] fieldMap(Fields from, Fields to) {
        if (from != mapFrom || to != mapTo) {
            int[] m = new int[to.size()];
            for (int j = 0; j < m.length; j++) m[j] = from.indexOf(to.name(j));
            mapFrom = from;
            mapTo = to;
            fieldMap = m;
        }
        return fieldMap;
    }
}
