package io.dataflare.plugins.files.output;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.io.IOException;

/**
 * Writes every record to one encoder over a stream the process owns (standard output): flushing
 * pushes the encoder's buffer through, closing only flushes, since the stream outlives the sink.
 */
public final class StreamSink implements Sink {
    private final RecordEncoder encoder;

    /** A sink writing through {@code encoder}. */
    public StreamSink(RecordEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws IOException {
        for (int i = 0; i < batch.size(); i++) encoder.encode(batch.get(i));
    }

    @Override
    public void flush() throws IOException {
        encoder.flush();
    }

    @Override
    public void close() throws IOException {
        encoder.flush();
    }
}
