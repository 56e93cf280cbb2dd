package io.dataflare.wasm.codec;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;

/** Assembles decoded output: carries metadata over from the input record an output record names. */
final class OutputBuilder {
    private final RecordBatch input;
    private final RecordBatch.Builder out = RecordBatch.builder(16);

    OutputBuilder(RecordBatch input) {
        this.input = input;
    }

    void add(Record.Builder record, int in) {
        if (in >= 0) {
            Record origin = inputRecord(in);
            if (origin.key() != null) record.key(origin.key());
            if (!origin.headers().isEmpty()) record.headers(origin.headers());
            if (origin.eventTime() != null) record.eventTime(origin.eventTime());
        }
        out.add(record.build());
    }

    /** The input record {@code in} names, or null for a new record (-1). */
    Record origin(int in) {
        return in == -1 ? null : inputRecord(in);
    }

    /** The input record {@code in} names, which {@code what} (an output record) requires. */
    Record origin(int in, String what) {
        if (in == -1) throw new MalformedOutputException(what + " names no input record ($in -1)", null);
        return inputRecord(in);
    }

    void reject(int in, String reason) {
        out.reject(inputRecord(in), reason);
    }

    private Record inputRecord(int in) {
        if (input == null || in < 0 || in >= input.size()) {
            throw new MalformedOutputException(
                    "$in " + in + " names no input record (the batch has " + (input == null ? 0 : input.size()) + ")",
                    null);
        }
        return input.get(in);
    }

    RecordBatch build() {
        return out.build();
    }
}
