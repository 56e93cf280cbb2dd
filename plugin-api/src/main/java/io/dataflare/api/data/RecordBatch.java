package io.dataflare.api.data;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.stream.Stream;

/**
 * An immutable batch of records: the unit every plugin call works on. Besides its records a batch
 * may carry {@linkplain #rejections() rejections} (input the plugin could not handle, for the error
 * policy) and, from a source, the {@linkplain #position() position} reached after it, which the
 * engine checkpoints.
 *
 * <pre>{@code
 * RecordBatch.Builder out = RecordBatch.builder(in.size());
 * for (Record r : in) {
 *     if (r.get("email") == null) out.reject(r, "email is missing");
 *     else out.add(r.toBuilder().set("email", mask(r.getString("email"))).build());
 * }
 * return out.build();
 * }</pre>
 *
 * <p>A processor that declares named outputs ({@link io.dataflare.api.processor.ProcessorFactory#outputs})
 * adds each record to one of them with {@link Builder#add(String, Record)}; {@link #output(int)} tells where a
 * record goes. A record added to several outputs is delivered once to each.
 *
 * @since 1.0.0
 */
public final class RecordBatch implements Iterable<Record> {
    /** A batch with nothing in it. */
    public static final RecordBatch EMPTY = new RecordBatch(new Record[0], 0, List.of(), null);

    private final Record[] records;
    /** The output of each record, null for the main output; the array is null when every record goes there. */
    private final String[] outputs;

    private final int size;
    private final List<Rejection> rejections;
    private final Map<String, Object> position;

    private RecordBatch(Record[] records, int size, List<Rejection> rejections, Map<String, Object> position) {
        this(records, null, size, rejections, position);
    }

    private RecordBatch(
            Record[] records, String[] outputs, int size, List<Rejection> rejections, Map<String, Object> position) {
        this.records = records;
        this.outputs = outputs;
        this.size = size;
        this.rejections = rejections;
        this.position = position;
    }

    /** A batch of these records. */
    public static RecordBatch of(Record... records) {
        for (Record r : records) requireRecord(r);
        return new RecordBatch(records.clone(), records.length, List.of(), null);
    }

    /** A batch of these records. */
    public static RecordBatch of(List<Record> records) {
        Record[] a = records.toArray(new Record[0]);
        for (Record r : a) requireRecord(r);
        return new RecordBatch(a, a.length, List.of(), null);
    }

    /** A builder expecting about {@code expectedSize} records. */
    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    /** A builder with the default capacity. */
    public static Builder builder() {
        return new Builder(16);
    }

    private static Record requireRecord(Record r) {
        if (r == null) throw new NullPointerException("a batch cannot hold a null record");
        return r;
    }

    /** The number of records (rejections not included). */
    public int size() {
        return size;
    }

    /** Whether the batch has no records and no rejections. */
    public boolean isEmpty() {
        return size == 0 && rejections.isEmpty();
    }

    /** The record at {@code i}. */
    public Record get(int i) {
        if (i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return records[i];
    }

    /**
     * The named output the record at {@code i} goes to, or null for the stage's main output.
     *
     * @since 1.1.0
     */
    public String output(int i) {
        if (i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return outputs == null ? null : outputs[i];
    }

    /** The records as an unmodifiable list view. */
    public List<Record> records() {
        return new RecordList();
    }

    /** The records the plugin rejected while producing this batch; never null. */
    public List<Rejection> rejections() {
        return rejections;
    }

    /** The source position reached after this batch (for checkpoints), or null. */
    public Map<String, Object> position() {
        return position;
    }

    /** A stream of the records. */
    public Stream<Record> stream() {
        return Arrays.stream(records, 0, size);
    }

    @Override
    public Iterator<Record> iterator() {
        return records().iterator();
    }

    /** A batch with these records only (no rejections, same position), all for the main output. */
    public RecordBatch withRecords(List<Record> newRecords) {
        Record[] a = newRecords.toArray(new Record[0]);
        for (Record r : a) requireRecord(r);
        return new RecordBatch(a, a.length, List.of(), position);
    }

    /** This batch without its rejections. */
    public RecordBatch withoutRejections() {
        return rejections.isEmpty() ? this : new RecordBatch(records, outputs, size, List.of(), position);
    }

    @Override
    public String toString() {
        return "RecordBatch[" + size + " records" + (rejections.isEmpty() ? "" : ", " + rejections.size() + " rejected")
                + "]";
    }

    private final class RecordList extends AbstractList<Record> implements RandomAccess {
        @Override
        public Record get(int index) {
            return RecordBatch.this.get(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * Builds a {@link RecordBatch}; not thread-safe, one batch per builder.
     *
     * @since 1.0.0
     */
    public static final class Builder {
        private Record[] records;
        /** Allocated by the first record added to a named output. */
        private String[] outputs;

        private int size;
        private List<Rejection> rejections;
        private Map<String, Object> position;

        private Builder(int expectedSize) {
            records = new Record[Math.max(expectedSize, 1)];
        }

        /** Appends a record for the main output. */
        public Builder add(Record record) {
            return append(null, requireRecord(record));
        }

        /**
         * Appends a record for the named output {@code output}, one of those the processor's factory
         * declares ({@link io.dataflare.api.processor.ProcessorFactory#outputs}); the engine fails the run
         * when a record names an output that was not declared. Add the same record under several outputs
         * to send it to each of them once.
         *
         * @throws IllegalArgumentException when {@code output} is null or empty
         *
         * @since 1.1.0
         */
        public Builder add(String output, Record record) {
            if (output == null || output.isEmpty()) {
                throw new IllegalArgumentException("an output name cannot be null or empty");
            }
            return append(output, requireRecord(record));
        }

        private Builder append(String output, Record record) {
            if (size == records.length) {
                records = Arrays.copyOf(records, Math.max(16, size * 2));
                if (outputs != null) outputs = Arrays.copyOf(outputs, records.length);
            }
            if (output != null && outputs == null) outputs = new String[records.length];
            if (outputs != null) outputs[size] = output;
            records[size++] = record;
            return this;
        }

        /** Appends all records of {@code batch}, each for the output it has there (not its rejections). */
        public Builder addAll(RecordBatch batch) {
            for (int i = 0; i < batch.size; i++) {
                append(batch.outputs == null ? null : batch.outputs[i], batch.records[i]);
            }
            return this;
        }

        /** Rejects {@code record} as invalid data, with a reason a person can act on. */
        public Builder reject(Record record, String reason) {
            return reject(Rejection.invalid(record, reason));
        }

        /** Rejects {@code record} because of {@code error}. */
        public Builder reject(Record record, Throwable error) {
            String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            String errorClass = error instanceof PluginException pe ? pe.errorClass() : ErrorClass.INVALID_RECORD;
            return reject(new Rejection(record, reason, errorClass, error));
        }

        /** Adds a rejection. */
        public Builder reject(Rejection rejection) {
            if (rejections == null) rejections = new ArrayList<>(4);
            rejections.add(rejection);
            return this;
        }

        /** Sets the source position reached after this batch (a JSON-compatible map). */
        public Builder position(Map<String, Object> position) {
            this.position = position == null ? null : Map.copyOf(position);
            return this;
        }

        /** The number of records added so far. */
        public int size() {
            return size;
        }

        /** The batch. */
        public RecordBatch build() {
            Record[] a = records;
            String[] o = outputs;
            records = new Record[0];
            outputs = null;
            List<Rejection> rj = rejections == null ? List.of() : Collections.unmodifiableList(rejections);
            rejections = null;
            int n = size;
            size = 0;
            return new RecordBatch(a, o, n, rj, position);
        }
    }
}
