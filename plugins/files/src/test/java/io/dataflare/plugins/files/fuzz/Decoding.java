package io.dataflare.plugins.files.fuzz;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.plugins.files.LineFormat;
import io.dataflare.plugins.files.input.Origin;
import io.dataflare.plugins.files.input.ReadResult;
import io.dataflare.plugins.files.input.RowReader;
import io.dataflare.tck.SimplePluginContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/** Decodes fuzzed bytes the way the file sources do and checks the decoder's promises. */
final class Decoding {
    private Decoding() {}

    /**
     * Every row becomes a record or a rejection, never an exception; decoding ends; no more rows than
     * lines (plus one for a last line without a break).
     */
    static void check(LineFormat format, SourceFactory factory, Map<String, ?> options, byte[] input)
            throws IOException {
        SimplePluginContext ctx = SimplePluginContext.of(factory, options, null);
        try (RowReader reader = format.readers(ctx).open(new ByteArrayInputStream(input), new Origin("fuzz", "fuzz"))) {
            RecordBatch.Builder out = RecordBatch.builder(64);
            int rows = 0;
            while (reader.read(out, true) == ReadResult.ROW) {
                if (++rows > input.length + 1)
                    throw new AssertionError("more rows than bytes: the decoder does not advance");
            }
            RecordBatch b = out.build();
            if (b.size() + b.rejections().size() != rows) {
                throw new AssertionError(rows + " rows read but " + b.size() + " records and "
                        + b.rejections().size() + " rejections");
            }
            for (var r : b.rejections()) {
                if (r.record().header(Origin.LINE_HEADER) == null)
                    throw new AssertionError("a rejection without its line: " + r.reason());
            }
        }
    }
}
