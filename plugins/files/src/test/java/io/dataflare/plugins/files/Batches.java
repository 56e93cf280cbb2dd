package io.dataflare.plugins.files;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.source.Source;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: drain a source, collect sink rejections. */
public final class Batches {
    private Batches() {}

    /** Polls until the source ends; fails on an endless source. */
    public static List<RecordBatch> drain(Source source, int batchSize) throws Exception {
        List<RecordBatch> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            RecordBatch b = source.poll(batchSize);
            if (b == null) return out;
            out.add(b);
        }
        throw new AssertionError("source did not end");
    }

    /** The records of all batches. */
    public static List<Record> records(List<RecordBatch> batches) {
        List<Record> out = new ArrayList<>();
        for (RecordBatch b : batches) out.addAll(b.records());
        return out;
    }

    /** The rejections of all batches. */
    public static List<Rejection> rejections(List<RecordBatch> batches) {
        List<Rejection> out = new ArrayList<>();
        for (RecordBatch b : batches) out.addAll(b.rejections());
        return out;
    }

    /** Rejections reported by a sink. */
    public static final class Collected implements Rejections {
        public final List<Record> records = new ArrayList<>();
        public final List<String> reasons = new ArrayList<>();

        @Override
        public void reject(Record record, String reason) {
            records.add(record);
            reasons.add(reason);
        }

        @Override
        public void reject(Record record, Throwable error) {
            reject(record, String.valueOf(error.getMessage()));
        }
    }
}
