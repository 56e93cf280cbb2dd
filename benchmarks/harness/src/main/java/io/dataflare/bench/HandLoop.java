package io.dataflare.bench;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.json.RecordJson;
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

    static long run(Path input, Path output, Transform transform) throws Exception {
        CsvFileSourceFactory csv = new CsvFileSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(csv, Map.of("path", input.toString(), "schema", SCHEMA), null);
        long written = 0;
        try (InputStream in = Files.newInputStream(input);
                RowReader reader = LineFormat.CSV
                        .readers(ctx)
                        .open(
                                in,
                                new Origin(input.toString(), input.getFileName().toString()));
                OutputStream os = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                JsonLineEncoder out = new JsonLineEncoder(RecordJson.newFactory(), os)) {
            while (true) {
                RecordBatch.Builder b = RecordBatch.builder(1000);
                ReadResult r = ReadResult.ROW;
                while (b.size() < 1000 && (r = reader.read(b, true)) == ReadResult.ROW) {
                    // one row per call
                }
                for (Record rec : b.build()) {
                    out.encode(transform.apply(rec));
                    written++;
                }
                if (r == ReadResult.END) break;
            }
        }
        return written;
    }
}
