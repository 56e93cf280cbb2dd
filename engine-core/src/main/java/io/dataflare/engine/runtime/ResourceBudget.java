package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.pipeline.ResourceLimits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's resource budget, applied by its sources. Memory: records in flight are bounded by the number of batch
 * slots of the run (every queue's batches, plus the batch each stage instance holds and, for processors, the batch
 * it builds) times the batch size; with {@code memory_mb} the sources cap their batch size so that those slots,
 * filled with records of the size measured so far, stay within the budget. The sources then wait for room in the
 * queues (backpressure) rather than the heap filling up. Rate: with {@code max_records_per_second} the sources
 * wait, together, so that no more than that many records are read per second.
 */
final class ResourceBudget {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceBudget.class);
    /** The per-record estimate before any record was measured: a record of a few short fields. */
    private static final long INITIAL_RECORD_BYTES = 256;

    private final String pipeline;
    private final ResourceLimits limits;
    private final long slots;
    private final int batchSize;
    /** Heap bytes of a record: the largest of the stages' estimates. */
    private volatile long recordBytes = INITIAL_RECORD_BYTES;

    private final java.util.concurrent.ConcurrentHashMap<String, Long> byStage =
            new java.util.concurrent.ConcurrentHashMap<>();

    private volatile int batchLimit;
    private volatile boolean reported;
    private final Consumer<BudgetEvent> events;
    /** Whether the memory budget caps the batches below the run's batch size (as last told). */
    private boolean capped;

    final LongAdder rateWaitNanos = new LongAdder();
    final LongAdder cappedBatches = new LongAdder();
    private final long nanosPerRecord;
    private long nextFreeNanos;

    /**
     * @param slots     how many batches the run can hold at once
     * @param batchSize the run's batch size (the most a cap can be)
     */
    ResourceBudget(String pipeline, ResourceLimits limits, long slots, int batchSize) {
        this(pipeline, limits, slots, batchSize, e -> {});
    }

    /** @param events told when the memory budget starts capping the sources' batches, and when it stops */
    ResourceBudget(String pipeline, ResourceLimits limits, long slots, int batchSize, Consumer<BudgetEvent> events) {
        this.events = events;
        this.pipeline = pipeline;
        this.limits = limits;
        this.slots = Math.max(1, slots);
        this.batchSize = batchSize;
        this.nanosPerRecord = limits.recordsPerSecond() == 0 ? 0 : 1_000_000_000L / limits.recordsPerSecond();
        this.batchLimit = computeLimit();
    }

    /** The batch size a source may use now: its own, capped by the memory budget and the rate limit. */
    int cap(int wanted) {
        int limit = Math.min(wanted, batchLimit);
        if (limit < wanted) cappedBatches.increment();
        return Math.max(1, limit);
    }

    private int computeLimit() {
        long limit = batchSize;
        if (limits.memoryBytes() > 0) limit = Math.min(limit, limits.memoryBytes() / (slots * recordBytes));
        // a batch waits at most about 100 ms for the rate limit, so checkpoints and stops are not held up
        if (limits.recordsPerSecond() > 0) limit = Math.min(limit, Math.max(1, limits.recordsPerSecond() / 10));
        return (int) Math.max(1, limit);
    }

    /**
     * A source read {@code batch}: with a rate limit, waits until the sources may read again.
     */
    void read(RecordBatch batch) {
        int n = batch.size();
        if (n > 0 && nanosPerRecord > 0) pace(n);
    }

    /**
     * Measures the records of a batch a stage emits (the first, the last and a few between). Each stage keeps its
     * own estimate (an average that follows increases at once), and the budget counts with the largest: a
     * processor that makes records larger decides the batch size of the sources before it.
     */
    void measure(String stage, RecordBatch batch) {
        if (limits.memoryBytes() == 0 || batch.isEmpty()) return;
        List<Record> records = batch.records();
        int n = records.size();
        int step = Math.max(1, n / 8);
        long max = 0;
        for (int i = 0; i < n; i += step) max = Math.max(max, estimate(records.get(i)));
        max = Math.max(max, estimate(records.get(n - 1)));
        long sample = max;
        byStage.merge(stage, sample, (before, m) -> m > before ? m : (before * 7 + m) / 8);
        long largest = INITIAL_RECORD_BYTES;
        for (long v : byStage.values()) largest = Math.max(largest, v);
        recordBytes = largest;
        int limit = computeLimit();
        memoryCapped(limit);
        if (limit != batchLimit) {
            batchLimit = limit;
            if (limit < batchSize && !reported) {
                reported = true;
                LOG.info(
                        "pipeline '{}': runtime.memory_mb {}: batches of at most {} records (about {} bytes a record,"
                                + " {} batches in flight at most)",
                        pipeline,
                        limits.memoryBytes() / (1024 * 1024),
                        limit,
                        recordBytes,
                        slots);
            }
        }
    }

    /** Tells the events when the memory budget starts (or stops) holding the sources' batches below their size. */
    private synchronized void memoryCapped(int limit) {
        long byMemory = limits.memoryBytes() / (slots * recordBytes);
        boolean now = byMemory < batchSize;
        if (now == capped) return;
        capped = now;
        long used = slots * recordBytes * Math.max(1, Math.min(limit, byMemory));
        events.accept(new BudgetEvent(
                "memory",
                null,
                now,
                limits.memoryBytes(),
                used,
                now
                        ? "runtime.memory_mb: the sources' batches are capped at " + limit + " records (about "
                                + recordBytes + " bytes a record, " + slots + " batches in flight at most)"
                        : "runtime.memory_mb: the sources' batches are no longer capped"));
    }

    private void pace(int n) {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos - now < 0) nextFreeNanos = now;
            nextFreeNanos += n * nanosPerRecord;
            wait = nextFreeNanos - now - n * nanosPerRecord;
        }
        // the first batch of a burst goes at once; the next waits for the time its predecessors took
        if (wait > 0) {
            rateWaitNanos.add(wait);
            LockSupport.parkNanos(wait);
        }
    }

    long recordBytes() {
        return recordBytes;
    }

    int batchLimit() {
        return batchLimit;
    }

    long memoryBytes() {
        return limits.memoryBytes();
    }

    double rateWaitSeconds() {
        return rateWaitNanos.sum() / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** An estimate of a record's heap size: the record, its value array and each value. */
    static long estimate(Record r) {
        long bytes = 16 + 16 + 8L * r.size();
        for (int i = 0; i < r.size(); i++) bytes += estimateValue(r.value(i));
        return bytes;
    }

    private static long estimateValue(Object v) {
        if (v == null || v instanceof Boolean) return 0;
        if (v instanceof String s) return 40 + 2L * s.length();
        if (v instanceof Long || v instanceof Double || v instanceof Integer) return 16;
        if (v instanceof BigDecimal) return 64;
        if (v instanceof Instant) return 24;
        if (v instanceof byte[] b) return 16 + b.length;
        if (v instanceof List<?> l) {
            long b = 40 + 8L * l.size();
            for (Object o : l) b += estimateValue(o);
            return b;
        }
        if (v instanceof Map<?, ?> m) {
            long b = 48 + 40L * m.size();
            for (Map.Entry<?, ?> e : m.entrySet()) b += estimateValue(e.getKey()) + estimateValue(e.getValue());
            return b;
        }
        return 32;
    }
}
