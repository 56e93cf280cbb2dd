package io.dataflare.plugins.files.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.output.RecordEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes records as CSV rows with FastCSV (quoting only where needed, LF line ends). The columns are
 * fixed by the first record unless given; a record's fields outside them are not written, and a missing
 * one is an empty cell. Values render as: null empty, timestamps ISO-8601, bytes base64, lists and maps
 * JSON text, anything else its {@code toString}.
 */
public final class CsvEncoder implements RecordEncoder {
    private static final int BUFFER = 64 * 1024;

    private final CsvWriter writer;
    private final JsonFactory json;
    private final Consumer<List<String>> onColumns;
    private boolean headerPending;
    private List<String> columns;
    private String[] row;
    private Fields lastFields;
    private int[] lastIndex;

    /**
     * @param out       the stream, closed with the encoder
     * @param delimiter the field separator
     * @param columns   the column order, or null to take the first record's fields
     * @param header    whether to write a header row before the first record
     * @param onColumns told the columns once they are fixed (so that a reopened file keeps them)
     * @param json      renders list and map values
     */
    public CsvEncoder(
            OutputStream out,
            char delimiter,
            List<String> columns,
            boolean header,
            Consumer<List<String>> onColumns,
            JsonFactory json) {
        this.writer = CsvWriter.builder()
                .fieldSeparator(delimiter)
                .lineDelimiter(LineDelimiter.LF)
                .bufferSize(BUFFER)
                .autoFlush(false)
                .build(out, StandardCharsets.UTF_8);
        this.json = json;
        this.onColumns = onColumns;
        this.headerPending = header;
        if (columns != null) setColumns(columns);
    }

    @Override
    public void encode(Record r) throws IOException {
        if (columns == null) {
            setColumns(r.fields().names());
            onColumns.accept(columns);
        }
        if (headerPending) {
            writer.writeRecord(columns);
            headerPending = false;
        }
        int[] index = indexOf(r.fields());
        String[] cells = row;
        for (int i = 0; i < cells.length; i++) {
            int k = index[i];
            cells[i] = k < 0 ? "" : render(r.value(k));
        }
        writer.writeRecord(cells);
    }

    private void setColumns(List<String> c) {
        columns = List.copyOf(c);
        row = new String[columns.size()];
    }

    /** Where each column is in records of shape {@code f}; recomputed only when the shape changes. */
    private int[] indexOf(Fields f) {
        if (f != lastFields) {
            int[] idx = new int[columns.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = f.indexOf(columns.get(i));
            lastFields = f;
            lastIndex = idx;
        }
        return lastIndex;
    }

    private String render(Object v) throws IOException {
        if (v == null) return "";
        if (v instanceof String s) return s;
        if (v instanceof Instant t) return t.toString();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        if (v instanceof BigDecimal d) return RecordJson.decimalText(d);
        if (v instanceof List || v instanceof Map) return toJson(v);
        return v.toString();
    }

    private String toJson(Object v) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            RecordJson.writeValue(g, v);
        }
        return w.toString();
    }

    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
