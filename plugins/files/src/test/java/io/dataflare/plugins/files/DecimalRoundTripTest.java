package io.dataflare.plugins.files;

import static io.dataflare.plugins.files.Batches.drain;
import static io.dataflare.plugins.files.Batches.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.plugins.files.csv.CsvFileSinkFactory;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSinkFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSourceFactory;
import io.dataflare.tck.SimplePluginContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Amounts of money keep every digit from a CSV file through records and JSON lines and back. */
class DecimalRoundTripTest {
    @TempDir
    Path dir;

    private static final String PRICES = "id,price\n1,10.50\n2,0.1\n3,12345678901234567.89\n4,-0.000000000000000001\n";

    @Test
    void csvToRecordsToJsonLinesAndBackKeepsEveryDigit() throws Exception {
        Files.writeString(dir.resolve("in.csv"), PRICES);
        List<Record> fromCsv = readCsv("in.csv");
        assertThat(fromCsv)
                .extracting(r -> r.get("price"))
                .containsExactly(
                        new BigDecimal("10.50"),
                        new BigDecimal("0.1"),
                        new BigDecimal("12345678901234567.89"),
                        new BigDecimal("-0.000000000000000001"));

        write(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl"), fromCsv);
        assertThat(Files.readString(dir.resolve("out.jsonl")).lines())
                .containsExactly(
                        "{\"id\":1,\"price\":10.50}",
                        "{\"id\":2,\"price\":0.1}",
                        "{\"id\":3,\"price\":12345678901234567.89}",
                        "{\"id\":4,\"price\":-0.000000000000000001}");

        List<Record> exact = read(new JsonlFileSourceFactory(), Map.of("path", "out.jsonl", "decimals", "exact"));
        assertThat(exact).isEqualTo(fromCsv);
        assertThat(exact.get(0).getDecimal("price").scale()).isEqualTo(2);

        // by default a JSON fraction is a double, as before
        List<Record> doubles = read(new JsonlFileSourceFactory(), Map.of("path", "out.jsonl"));
        assertThat(doubles).extracting(r -> r.get("price")).containsExactly(10.5, 0.1, 1.2345678901234568E16, -1.0E-18);

        // and back to CSV with the same text
        write(new CsvFileSinkFactory(), Map.of("path", "out.csv"), exact);
        assertThat(Files.readString(dir.resolve("out.csv")).replace("\r\n", "\n"))
                .isEqualTo(PRICES);
    }

    private List<Record> readCsv(String path) throws Exception {
        return read(
                new CsvFileSourceFactory(), Map.of("path", path, "schema", Map.of("id", "long", "price", "decimal")));
    }

    private List<Record> read(io.dataflare.api.source.SourceFactory f, Map<String, ?> config) throws Exception {
        try (Source s = f.create(SimplePluginContext.of(f, config, dir))) {
            return records(drain(s, 100)).stream()
                    .map(r -> r.toBuilder().headers(Map.of()).build())
                    .toList();
        }
    }

    private void write(io.dataflare.api.sink.SinkFactory f, Map<String, ?> config, List<Record> records)
            throws Exception {
        try (Sink s = f.create(SimplePluginContext.of(f, config, dir))) {
            s.write(RecordBatch.of(records.toArray(new Record[0])), new Batches.Collected());
            s.flush();
        }
    }
}
