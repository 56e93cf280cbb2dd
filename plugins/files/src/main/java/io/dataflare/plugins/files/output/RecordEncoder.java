package io.dataflare.plugins.files.output;

import io.dataflare.api.data.Record;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/** Writes records to one stream in a line format (CSV, JSON lines). Not thread-safe. */
public interface RecordEncoder extends Flushable, Closeable {
    /** Appends one record; may stay buffered until {@link #flush()}. */
    void encode(Record record) throws IOException;

    /** Pushes everything buffered to the underlying stream and flushes it. */
    @Override
    void flush() throws IOException;

    /** Flushes, then closes the underlying stream. */
    @Override
    void close() throws IOException;
}
