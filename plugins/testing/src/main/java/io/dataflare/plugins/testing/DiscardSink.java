package io.dataflare.plugins.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;

/** Counts and drops records; see {@link DiscardFactory}. */
public final class DiscardSink implements Sink {
    private final long delayMicros;
    private final PluginMetrics metrics;
    private volatile long discarded;

    DiscardSink(long delayMicros, PluginContext ctx) {
        this.delayMicros = delayMicros;
        this.metrics = ctx.metrics();
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws InterruptedException {
        Delays.sleepMicros(delayMicros);
        // Only the sink's thread writes; volatile lets tests and monitors read it.
        discarded += batch.size();
        metrics.increment("discarded", batch.size());
    }

    /** The records dropped so far. */
    public long discarded() {
        return discarded;
    }
}
