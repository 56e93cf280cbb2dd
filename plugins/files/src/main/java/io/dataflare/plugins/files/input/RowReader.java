package io.dataflare.plugins.files.input;

import io.dataflare.api.data.RecordBatch;
import java.io.Closeable;
import java.io.IOException;

/**
 * Decodes one input into records, one row per call: the CSV and JSON-lines decoders implement it and
 * {@link DecodingSource} drives them for files and for standard input alike. Bad rows become
 * rejections in the batch, never exceptions; an {@link IOException} means the input itself failed.
 */
public interface RowReader extends Closeable {
    /**
     * Reads the next row into {@code out}.
     *
     * @param mayBlock whether to wait for input that has not arrived yet; when false, returns
     *                 {@link ReadResult#PENDING} instead
     */
    ReadResult read(RecordBatch.Builder out, boolean mayBlock) throws IOException;

    /** The number of lines consumed so far: the last row read ended on this line. */
    long linesConsumed();

    /**
     * Reads and drops rows until {@code lines} lines are consumed or the input ends: a source resuming from a
     * checkpoint skips what it already emitted. Blocks for input that has not arrived yet.
     */
    default void skipTo(long lines) throws IOException {
        final int batch = 1024;
        RecordBatch.Builder scratch = RecordBatch.builder(batch);
        int n = 0;
        while (linesConsumed() < lines && read(scratch, true) != ReadResult.END) {
            // Skipped rows are dropped a builder-full at a time (a builder holds one batch only).
            if (++n % batch == 0) scratch = RecordBatch.builder(batch);
        }
    }
}
