package io.dataflare.bench;

import io.dataflare.api.SimplePluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.plugins.files.jsonl.Json;
import io.dataflare.plugins.files.jsonl.JsonLineEncoder;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The hand-written loop: the file plugins' own CSV decoder and JSON-lines encoder, the transform in plain
 * Java, no engine (no threads, no queues, no plugin loading): what the engine's overhead is measured against.
 */
final class BaselineRow implements Row {
    static final Map<String, Object> SCHEMA = Map.of("id", "long", "amount", "double", "quantity", "long");

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        CsvFileSourceFactory csv = new CsvFileSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(csv, Map.of("path", input.toString(), "schema", SCHEMA), null);
        long written = 0;
        try (InputStream in = Files.newInputStream(input);
             RowReader reader = LineFormat.CSV.readers(ctx).open(in, new Origin(input.toString(), input.getFileName().toString()));
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(outDir.resolve("baseline.jsonl")), 1 << 16);
             JsonLineEncoder out = new JsonLineEncoder(Json.newFactory(), os)) {
            while (true) {
                RecordBatch.Builder b = RecordBatch.builder(1000);
                ReadResult r = ReadResult.ROW;
                while (b.size() < 1000 && (r = reader.read(b, true)) == ReadResult.ROW) {
                    // one row per call
                }
                for (Record rec : b.build()) {
                    out.encode(transform(rec));
                    written++;
                }
                if (r == ReadResult.END) break;
            }
        }
        return written;
    }

    static Record transform(Record r) {
        Long id = (Long) r.get("id");
        return id == null ? r : r.toBuilder().set("n2", id * 2).build();
    }
}
