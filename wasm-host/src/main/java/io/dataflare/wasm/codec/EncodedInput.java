package io.dataflare.wasm.codec;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where each input record's encoded fields lie in the bytes a binary batch was handed over as, so that
 * decoding can recognise an output record that copies them unchanged (what the SDK helpers do for every record
 * a processor keeps) and take the input's values instead of reading them again: no strings decoded, no values
 * allocated. Only records of plain values qualify (no lists or maps, which the module could not copy without
 * the host reading them back as new containers anyway).
 */
final class EncodedInput {
    private final RecordBatch batch;
    private final byte[] bytes;
    private final String[] names;
    private final int[] start;
    private final int[] end;
    private final int[][] nameIndices;

    EncodedInput(RecordBatch batch, byte[] bytes, String[] names, int[] start, int[] end, int[][] nameIndices) {
        this.batch = batch;
        this.bytes = bytes;
        this.names = names;
        this.start = start;
        this.end = end;
        this.nameIndices = nameIndices;
    }

    /** Whether this describes {@code input} (the batch now being decoded the output of). */
    boolean describes(RecordBatch input) {
        return input == batch;
    }

    /** Whether the output's field names start with the input's, as they must for copied fields to mean the same. */
    boolean namesArePrefixOf(String[] outputNames) {
        if (outputNames.length < names.length) return false;
        for (int i = 0; i < names.length; i++) if (!names[i].equals(outputNames[i])) return false;
        return true;
    }

    /**
     * The number of fields of input record {@code in} when {@code output} holds exactly its encoded fields at
     * {@code pos}, else -1.
     */
    int copiedFields(int in, byte[] output, int pos) {
        if (in < 0 || in >= start.length || start[in] < 0) return -1;
        int len = end[in] - start[in];
        if (pos + len > output.length) return -1;
        return Arrays.equals(output, pos, pos + len, bytes, start[in], end[in]) ? nameIndices[in].length : -1;
    }

    /** The byte length of input record {@code in}'s encoded fields. */
    int length(int in) {
        return end[in] - start[in];
    }

    /** The name indices of input record {@code in}'s fields, in order. */
    int[] nameIndices(int in) {
        return nameIndices[in];
    }

    /** Input record {@code in}. */
    Record record(int in) {
        return batch.get(in);
    }

    /** Whether a record's values can be taken over as they are when its encoded fields come back unchanged. */
    static boolean plain(Record r) {
        for (int f = 0; f < r.size(); f++) {
            Object v = r.value(f);
            if (!(v == null
                    || v instanceof String
                    || v instanceof Long
                    || v instanceof Double
                    || v instanceof Boolean
                    || v instanceof BigDecimal
                    || v instanceof Instant
                    || v instanceof byte[])) return false;
        }
        return true;
    }
}
