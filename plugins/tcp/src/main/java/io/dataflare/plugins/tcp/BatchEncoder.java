package io.dataflare.plugins.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Encodes a batch as the bytes the sink sends: JSON lines, or CSV rows whose columns are the first record's
 * fields (a later record's other fields are not written, a missing one is an empty cell), with the header
 * line kept apart because every new connection starts with it. Values render as the files plugin's do.
 */
final class BatchEncoder {
    private final TcpFormat format;
    private final JsonFactory json = RecordJson.newFactory();
    private List<String> columns;

    BatchEncoder(TcpFormat format) {
        this.format = format;
    }

    /** The batch's lines, UTF-8. */
    byte[] encode(RecordBatch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, batch.size() * 64));
        if (format == TcpFormat.JSONL) {
            try (JsonGenerator g = json.createGenerator(out)) {
                for (Record r : batch) {
                    RecordJson.writeFields(g, r);
                    g.writeRaw('\n');
                }
            }
            return out.toByteArray();
        }
        try (CsvWriter w = csv(out)) {
            for (Record r : batch) {
                if (columns == null) columns = List.copyOf(r.fields().names());
                String[] cells = new String[columns.size()];
                for (int i = 0; i < cells.length; i++) {
                    String c = columns.get(i);
                    cells[i] = r.has(c) ? render(r.get(c)) : "";
                }
                w.writeRecord(cells);
            }
        }
        return out.toByteArray();
    }

    /** The line a new connection starts with: the CSV header once the columns are known; else nothing. */
    byte[] preamble() throws IOException {
        if (format != TcpFormat.CSV || columns == null) return new byte[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CsvWriter w = csv(out)) {
            w.writeRecord(columns);
        }
        return out.toByteArray();
    }

    private static CsvWriter csv(ByteArrayOutputStream out) {
        return CsvWriter.builder()
                .lineDelimiter(LineDelimiter.LF)
                .autoFlush(false)
                .build(out, StandardCharsets.UTF_8);
    }

    private String render(Object v) throws IOException {
        if (v == null) return "";
        if (v instanceof String s) return s;
        if (v instanceof Instant t) return t.toString();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        if (v instanceof BigDecimal d) return RecordJson.decimalText(d);
        if (v instanceof List || v instanceof Map) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = json.createGenerator(w)) {
                RecordJson.writeValue(g, v);
            }
            return w.toString();
        }
        return v.toString();
    }
}
