package io.dataflare.plugins.files.input;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;

/**
 * Where rows come from: {@code id} identifies the input in positions and in the {@code source.file}
 * header (a file's absolute path, or {@code stdin}); {@code label} names it in messages (the file name).
 */
public record Origin(String id, String label) {
    /** The header naming the input a rejected row came from. */
    public static final String FILE_HEADER = "source.file";
    /** The header giving the line a rejected row started on. */
    public static final String LINE_HEADER = "source.line";

    private static final Fields RAW = Fields.of("raw");

    /**
     * Adds a rejection of the row starting at {@code line} to {@code out}: the record holds the raw text
     * in field {@code raw} and the input and line in headers, the reason reads "orders.csv line 7: ...".
     */
    public void reject(RecordBatch.Builder out, String raw, long line, String problem) {
        Record r = Record.builder(RAW)
                .set(0, raw)
                .header(FILE_HEADER, id)
                .header(LINE_HEADER, Long.toString(line))
                .build();
        out.reject(r, label + " line " + line + ": " + problem);
    }
}
