package io.dataflare.plugins.files.output;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import java.io.IOException;

/**
 * Writes every record to one encoder over a stream the process owns (standard output), and pushes each batch
 * through at once: a pipeline fed slowly (standard input, a socket) shows each record as it goes rather than when
 * a checkpoint or the end comes (a run fed by standard input has no checkpoints), and the program reading the
 * output gets it as it comes; a write per batch costs nothing next to encoding it. Closing only flushes, since
 * the stream outlives the sink.
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
        encoder.flush();
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
