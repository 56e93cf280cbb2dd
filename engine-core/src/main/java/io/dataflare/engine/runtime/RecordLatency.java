package io.dataflare.engine.runtime;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A run's end-to-end record latency: from the source reading a record to its sink acknowledging the write, in
 * microseconds, over the whole run. Sinks record a batch at a time (every record of a batch was read at the same
 * moment), so recording allocates nothing.
 */
final class RecordLatency {
    /** Two significant digits: 1% precision, a few kilobytes whatever the range. */
    private final ConcurrentHistogram micros = new ConcurrentHistogram(2);

    /** {@code records} records read at {@code readNanos} were written now. */
    void written(long readNanos, long records) {
        if (readNanos == TimedBatch.UNTIMED || records <= 0) return;
        long us = TimeUnit.NANOSECONDS.toMicros(Math.max(0, System.nanoTime() - readNanos));
        micros.recordValueWithCount(us, records);
    }

    /** The percentiles so far. */
    LatencySnapshot snapshot() {
        Histogram h = micros.copy();
        if (h.getTotalCount() == 0) return LatencySnapshot.NONE;
        return new LatencySnapshot(
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }
}
