package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: a component's context, draining a source, collecting a sink's rejections. */
final class Harness {
    private Harness() {}

    static SimplePluginContext ctx(PluginFactory<?> factory, Map<String, ?> config, Path dir) {
        return SimplePluginContext.of(factory, config, dir);
    }

    /** Every record the source gives until it ends. */
    static List<Record> drain(Source source, int batchSize) throws Exception {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            RecordBatch b = source.poll(batchSize);
            if (b == null) return out;
            out.addAll(b.records());
        }
        throw new AssertionError("source did not end");
    }

    /** Rejections reported by a sink. */
    static final class Collected implements Rejections {
        final List<Record> records = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

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
