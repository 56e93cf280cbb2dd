package io.dataflare.plugins.files.input;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A source that decodes a sequence of inputs with one {@link RowReader} each: the files a glob matched
 * (in name order), or standard input. Each batch carries the position {@code {file, line}} after its
 * last row, and {@link #seek} resumes there by re-reading that file up to the line.
 */
public final class DecodingSource implements Source {
    /** Position key: the input's id (a file's absolute path). */
    public static final String FILE = "file";
    /** Position key: the lines of that input consumed so far. */
    public static final String LINE = "line";

    private final List<Input> inputs;
    private final RowReaderFactory readers;
    private final boolean interactive;
    private int nextInput;
    private RowReader reader;
    private Origin current;
    private long skipLines;
    private boolean exhausted;

    /**
     * @param inputs      the inputs, sorted by {@link Origin#id()} (seek relies on that order)
     * @param readers     opens a decoder per input
     * @param interactive whether input arrives over time (standard input): a batch is then returned as
     *                    soon as no further row is available without waiting, and batches carry no
     *                    position (a pipe cannot be re-read)
     */
    public DecodingSource(List<Input> inputs, RowReaderFactory readers, boolean interactive) {
        this.inputs = List.copyOf(inputs);
        this.readers = readers;
        this.interactive = interactive;
    }

    @Override
    public void seek(Map<String, Object> position) throws IOException {
        if (interactive) throw new UnsupportedOperationException("standard input cannot resume from a position");
        if (!(position.get(FILE) instanceof String file) || !(position.get(LINE) instanceof Number line)) {
            throw new IllegalArgumentException("a position needs 'file' and 'line', got " + position);
        }
        closeReader();
        exhausted = false;
        int i = 0;
        while (i < inputs.size() && inputs.get(i).origin().id().compareTo(file) < 0) i++;
        nextInput = i;
        // A file that vanished since the checkpoint: carry on with the ones after it, from their start.
        skipLines = i < inputs.size() && inputs.get(i).origin().id().equals(file) ? line.longValue() : 0;
    }

    @Override
    public RecordBatch poll(int maxRecords) throws IOException {
        if (exhausted) return null;
        RecordBatch.Builder out = RecordBatch.builder(Math.min(Math.max(maxRecords, 1), 4096));
        int rows = 0;
        Origin lastOrigin = null;
        long lastLine = 0;
        while (rows < maxRecords) {
            if (reader == null && !openNext()) {
                exhausted = true;
                break;
            }
            ReadResult r = reader.read(out, rows == 0 || !interactive);
            if (r == ReadResult.ROW) {
                rows++;
                lastOrigin = current;
                lastLine = reader.linesConsumed();
            } else if (r == ReadResult.END) {
                closeReader();
            } else {
                break;
            }
        }
        if (rows == 0 && exhausted) return null;
        if (lastOrigin != null && !interactive) out.position(Map.of(FILE, lastOrigin.id(), LINE, lastLine));
        return out.build();
    }

    private boolean openNext() throws IOException {
        if (nextInput >= inputs.size()) return false;
        Input input = inputs.get(nextInput++);
        current = input.origin();
        reader = readers.open(input.open(), current);
        if (skipLines > 0) {
            reader.skipTo(skipLines);
            skipLines = 0;
        }
        return true;
    }

    private void closeReader() throws IOException {
        RowReader r = reader;
        reader = null;
        if (r != null) r.close();
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }
}
