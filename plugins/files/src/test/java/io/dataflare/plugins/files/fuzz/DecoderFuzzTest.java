package io.dataflare.plugins.files.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.csv.CsvFileSourceFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSourceFactory;
import java.util.Map;

/**
 * Fuzzes the CSV decoder (with and without a header, several delimiters, a schema) and the JSON-lines
 * decoder, both with a small row limit. One target, because Jazzer fuzzes one target per JVM.
 */
class DecoderFuzzTest {
    private static final CsvFileSourceFactory CSV = new CsvFileSourceFactory();
    private static final JsonlFileSourceFactory JSONL = new JsonlFileSourceFactory();

    static {
        // the decoders warn about odd headers; at fuzzing rates that logging would drown the report
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    }

    @FuzzTest(maxDuration = "30s")
    void linesNeverBreakTheDecoders(FuzzedDataProvider data) throws Exception {
        if (data.consumeBoolean()) {
            boolean header = data.consumeBoolean();
            char delimiter = data.pickValue(new Character[] {',', ';', '\t', '|'});
            Map<String, Object> options = Map.of(
                    "path",
                    "unused.csv",
                    "header",
                    header,
                    "delimiter",
                    String.valueOf(delimiter),
                    "schema",
                    Map.of("a", "long", "b", "double", "c", "timestamp"),
                    "max_record_bytes",
                    512);
            Decoding.check(LineFormat.CSV, CSV, options, data.consumeRemainingAsBytes());
        } else {
            Decoding.check(
                    LineFormat.JSONL,
                    JSONL,
                    Map.of("path", "unused.jsonl", "max_record_bytes", 512),
                    data.consumeRemainingAsBytes());
        }
    }
}
