package io.dataflare.bench.jmh;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.bench.InputData;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.plugins.files.input.RowReaderFactory;
import io.dataflare.plugins.files.jsonl.JsonLineEncoder;
import io.dataflare.tck.SimplePluginContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding 1,000 and 100,000 CSV rows (the end-to-end rows' data and schema) and encoding 1,000 records as JSON
 * lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
    private byte[] csv;
    private byte[] longCsv;
    private RowReaderFactory readers;
    private RecordBatch batch;
    private JsonLineEncoder encoder;

    @Setup
    public void setUp() throws IOException {
        // the end-to-end rows' data (a new reader each time: its first 1,000 rows)
        StringBuilder sb = new StringBuilder(InputData.HEADER).append('\n');
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) InputData.row(sb, i, random).append('\n');
        csv = sb.toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 1000; i < 100_000; i++) InputData.row(sb, i, random).append('\n');
        longCsv = sb.toString().getBytes(StandardCharsets.UTF_8);
        CsvFileSourceFactory f = new CsvFileSourceFactory();
        readers = LineFormat.CSV.readers(SimplePluginContext.of(
                f,
                Map.of("path", "x.csv", "schema", Map.of("id", "long", "amount", "double", "quantity", "long")),
                null));
        batch = decode();
        encoder = new JsonLineEncoder(OutputStream.nullOutputStream());
    }

    @Benchmark
    public RecordBatch decodeCsv1000() throws IOException {
        return decode();
    }

    /** 100,000 rows through one reader, as a long file goes (the batches handed on as they fill). */
    @Benchmark
    public long decodeCsv100000() throws IOException {
        long rows = 0;
        RecordBatch.Builder b = RecordBatch.builder(1000);
        try (RowReader r = readers.open(new ByteArrayInputStream(longCsv), new Origin("bench", "bench"))) {
            while (r.read(b, true) == ReadResult.ROW) {
                if (b.size() == 1000) {
                    rows += b.build().size();
                    b = RecordBatch.builder(1000);
                }
            }
        }
        return rows + b.build().size();
    }

    private RecordBatch decode() throws IOException {
        RecordBatch.Builder b = RecordBatch.builder(1000);
        try (RowReader r = readers.open(new ByteArrayInputStream(csv), new Origin("bench", "bench"))) {
            while (r.read(b, true) == ReadResult.ROW) {
                // one row per call
            }
        }
        return b.build();
    }

    @Benchmark
    public void encodeJson1000() throws IOException {
        for (Record r : batch) encoder.encode(r);
        encoder.flush();
    }
}
