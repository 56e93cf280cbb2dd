package io.dataflare.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;

/**
 * The baseline loop with the transform done by the WASM module {@code bench-extism} through Extism's own
 * JVM SDK (chicory-sdk, ahead-of-time compiled), one call per record as Extism plugins are called: the peer
 * of DataFlare's WASM host on the same module.
 */
final class ExtismRow implements Row {
    private final Path module;
    private final ObjectMapper json = new ObjectMapper();

    ExtismRow(Path module) {
        this.module = module;
    }

    @Override
    public String name() {
        return "extism-chicory-sdk";
    }

    @Override
    public String unavailable() {
        return Files.isRegularFile(module) ? null : module + " is missing";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        Plugin plugin = Plugin.ofManifest(Manifest.ofWasms(ManifestWasm.fromBytes(Files.readAllBytes(module)).build())
                .withOptions(new Manifest.Options().withAoT(true)).build()).build();
        CsvFileSourceFactory csv = new CsvFileSourceFactory();
        SimplePluginContext ctx = SimplePluginContext.of(csv, Map.of("path", input.toString(), "schema", BaselineRow.SCHEMA), null);
        long written = 0;
        try (InputStream in = Files.newInputStream(input);
             RowReader reader = LineFormat.CSV.readers(ctx).open(in, new Origin(input.toString(), input.getFileName().toString()));
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(outDir.resolve("extism.jsonl")), 1 << 16);
             JsonLineEncoder out = new JsonLineEncoder(Json.newFactory(), os)) {
            while (true) {
                RecordBatch.Builder b = RecordBatch.builder(1000);
                ReadResult r = ReadResult.ROW;
                while (b.size() < 1000 && (r = reader.read(b, true)) == ReadResult.ROW) {
                    // one row per call
                }
                for (Record rec : b.build()) {
                    byte[] result = plugin.call("double", json.writeValueAsBytes(rec.asMap()));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = json.readValue(result, Map.class);
                    out.encode(Record.fromMap(m));
                    written++;
                }
                if (r == ReadResult.END) break;
            }
        }
        return written;
    }
}
