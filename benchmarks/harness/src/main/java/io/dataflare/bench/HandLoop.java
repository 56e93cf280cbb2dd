package io.dataflare.bench;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.plugins.files.jsonl.JsonLineEncoder;
import io.dataflare.tck.SimplePluginContext;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The hand-written loop, without an engine: the file plugins' own CSV decoder (with the benchmark's
 * schema) and JSON-lines encoder around a per-record transform, 1,000 rows at a time, one thread.
 */
final class HandLoop {
    static final Map<String, Object> SCHEMA = Map.of("id", "long", "amount", "double", "quantity", "long");

    /** The per-record work between decoding and encoding. */
    @FunctionalInterface
    interface Transform {
        Record apply(Record r) throws Exception;
    }

    private HandLoop() {}

    /** What is done with each batch of decoded rows. */
    @FunctionalInterface
    interface BatchHandler {
        void accept(RecordBatch batch) throws Exception;
    }

    static long run(Path input, Path output, Transform transform) throws Exception {
        long[] written = {0};
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                JsonLineEncoder out = new JsonLineEncoder(os)) {
            forEachBatch(input, batch -> {
                for (Record rec : batch) {
                    out.encode(transform.apply(rec));
                    written[0]++;
                }
            });
        }
        return written[0];
    }

    /** Decodes {@code input} with the file plugins' CSV decoder and the benchmark's schema, 1,000 rows a batch. */
    static void forEachBatch(Path input, BatchHandler handler) throws Exception {
        CsvFileSourceFactory csv = new CsvFileSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(csv, Map.of("path", input.toString(), "schema", SCHEMA), null);
        try (InputStream in = Files.newInputStream(input);
                RowReader reader = LineFormat.CSV
                        .readers(ctx)
                        .open(
                                in,
                                new Origin(input.toString(), input.getFileName().toString()))) {
            while (true) {
                RecordBatch.Builder b = RecordBatch.builder(1000);
                ReadResult r = ReadResult.ROW;
                while (b.size() < 1000 && (r = reader.read(b, true)) == ReadResult.ROW) {
                    // one row per call
                }
                RecordBatch batch = b.build();
                if (batch.size() > 0) handler.accept(batch);
                if (r == ReadResult.END) break;
            }
        }
    }
}
