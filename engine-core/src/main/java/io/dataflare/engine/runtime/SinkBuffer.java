package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.engine.pipeline.SinkBufferDefinition;
import io.dataflare.engine.runtime.buffer.SinkSpool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink's offline buffer: what the sink's worker needs to send records to the {@link SinkSpool} while the
 * sink fails with a retryable error, and to offer them to it again every {@code retry_ms} until it takes
 * them. It keeps the spool's figures for the metrics and says (in the log) when the sink goes down, comes
 * back, and when the spool is full and holds the pipeline back.
 */
final class SinkBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkBuffer.class);
    /** The key of a buffered sink's checkpoint state that holds where the spool ended at the checkpoint. */
    static final String SPOOL_SEQUENCE = "spool_sequence";
    /** The key of a buffered sink's checkpoint state that holds the sink's own state. */
    static final String SINK_STATE = "sink";

    /** The most records one write drains from the spool (several spooled batches joined). */
    static final int DRAIN_RECORDS = 5_000;
    /** The most spooled bytes one write drains (besides {@link #DRAIN_RECORDS}), bounding its memory. */
    static final long DRAIN_BYTES = 4L << 20;
    /**
     * The most spooled bytes this buffer joins into one write: {@link #DRAIN_BYTES}, less under a memory budget
     * (a sixteenth of it), so draining does not take the heap the budget keeps for the records in flight.
     */
    private volatile long drainBytes = DRAIN_BYTES;

    final String stage;
    final SinkBufferDefinition definition;
    final SinkSpool spool;
    final LongAdder spooledRecords = new LongAdder();
    final LongAdder drainedRecords = new LongAdder();
    final LongAdder backpressureWaits = new LongAdder();
    /** Writes that drained the spool: fewer than its batches when they were joined. */
    final LongAdder drainWrites = new LongAdder();

    private final RunEnvironment env;
    private volatile boolean sinkDown;
    private volatile boolean full;
    /** The budget that last held the sink back. */
    private String heldBy = "spool";

    private long nextAttemptMillis;

    private final List<DiskBudget> budgets;
    private final Consumer<BudgetEvent> events;

    SinkBuffer(String stage, SinkBufferDefinition definition, RunEnvironment env) throws IOException {
        this(stage, definition, env, List.of(), e -> {});
    }

    /**
     * @param budgets the disk budgets the spool shares with others (the run's, the engine's)
     * @param events  told when the spool or a budget holds the sink back, and when it goes on
     */
    SinkBuffer(
            String stage,
            SinkBufferDefinition definition,
            RunEnvironment env,
            List<DiskBudget> budgets,
            Consumer<BudgetEvent> events)
            throws IOException {
        this.stage = stage;
        this.definition = definition;
        this.env = env;
        this.budgets = List.copyOf(budgets);
        this.events = events;
        this.spool = new SinkSpool(definition.path());
        for (DiskBudget b : this.budgets) b.add(spool);
        if (spool.batches() > 0) {
            LOG.info(
                    "sink '{}': {} records ({} bytes) wait in the spool {}; they are delivered first",
                    stage,
                    spool.records(),
                    spool.bytes(),
                    definition.path());
        }
    }

    /** Errors after which the sink may take the records later: they go to the spool. */
    static boolean retryable(String errorClass) {
        return ErrorClass.IO.equals(errorClass)
                || ErrorClass.TIMEOUT.equals(errorClass)
                || ErrorClass.LIMIT.equals(errorClass);
    }

    boolean pending() {
        return spool.batches() > 0;
    }

    /** Whether the spool should be offered to the sink now. */
    boolean due() {
        return env.clock().millis() >= nextAttemptMillis;
    }

    /** How long until the spool should be offered to the sink again, at least 1 ms. */
    long waitMillis() {
        return Math.max(1, nextAttemptMillis - env.clock().millis());
    }

    /** The sink failed with a retryable error: the spool is offered again after {@code retry_ms}. */
    void sinkFailed(String message) {
        nextAttemptMillis = env.clock().millis() + definition.retryMs();
        if (!sinkDown) {
            sinkDown = true;
            LOG.warn(
                    "sink '{}' is unavailable ({}): records go to the spool {} and are offered to it again every {} ms",
                    stage,
                    message,
                    definition.path(),
                    definition.retryMs());
        }
    }

    /** The sink took the whole spool. */
    void drained() {
        if (sinkDown) {
            sinkDown = false;
            LOG.info("sink '{}' takes records again: the spool {} is drained", stage, definition.path());
        }
    }

    boolean sinkDown() {
        return sinkDown;
    }

    boolean full() {
        return full;
    }

    /**
     * Whether {@code bytes} more fit within {@code max_bytes} and within every disk budget the spool shares. An
     * empty spool takes any batch (within its shared budgets, which take any batch when all their spools are
     * empty), so a batch larger than the budget cannot hold the sink back for ever. When they do not fit the spool
     * is full: the sink stops taking input (backpressure) until spools drain. When they fit they are reserved in
     * the shared budgets until {@link #appended} says they are in the spool.
     */
    boolean fits(long bytes) {
        String over = null;
        long limit = 0;
        long used = 0;
        if (spool.batches() > 0 && spool.bytes() + bytes > definition.maxBytes()) {
            over = "spool";
            limit = definition.maxBytes();
            used = spool.bytes();
        } else {
            for (int i = 0; i < budgets.size(); i++) {
                DiskBudget b = budgets.get(i);
                if (!b.reserve(bytes)) {
                    for (int j = 0; j < i; j++) budgets.get(j).release(bytes);
                    over = b.name();
                    limit = b.limitBytes();
                    used = b.used();
                    break;
                }
            }
        }
        if (over != null && !full) {
            String what = over.equals("spool")
                    ? "the spool " + definition.path() + " is full (" + used + " of max_bytes " + limit + ")"
                    : over.equals("disk")
                            ? "the run's spools are at runtime.disk_mb (" + used + " of " + limit + " bytes)"
                            : "the engine's spools are at its disk budget (" + used + " of " + limit + " bytes)";
            String message =
                    "sink '" + stage + "': " + what + ": the pipeline is held back until the sink takes records again";
            LOG.warn("{}", message);
            backpressureWaits.increment();
            events.accept(new BudgetEvent(over, stage, true, limit, used, message));
        } else if (over == null && full) {
            events.accept(new BudgetEvent(
                    heldBy, stage, false, 0, spool.bytes(), "sink '" + stage + "': the spool takes records again"));
        }
        if (over != null) heldBy = over;
        full = over != null;
        return !full;
    }

    /** The records of {@code batch} by priority, each group in the batch's order (one group without a priority field). */
    Map<Long, List<Record>> byPriority(List<Record> batch) {
        Map<Long, List<Record>> out = new LinkedHashMap<>();
        for (Record r : batch)
            out.computeIfAbsent(priority(r), k -> new ArrayList<>()).add(r);
        return out;
    }

    /**
     * A record's priority: the number in {@code priority_field} (a whole number, or the whole part of a decimal
     * one, or a string holding a number); 0 when the field is missing, null or not a number.
     */
    long priority(Record r) {
        String f = definition.priorityField();
        if (f == null) return 0;
        Object v = r.get(f);
        if (v instanceof Number n) return n.longValue();
        if (v instanceof String s) {
            try {
                return new java.math.BigDecimal(s.trim()).longValue();
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Bounds the writes that drain the spool by a run's memory budget ({@code runtime.memory_mb}, in bytes). */
    void memoryBudget(long memoryBytes) {
        if (memoryBytes > 0) drainBytes = Math.max(1, Math.min(DRAIN_BYTES, memoryBytes / 16));
    }

    long drainBytes() {
        return drainBytes;
    }

    /** {@code bytes} that {@link #fits} reserved are in the spool (or failed to get there): it counts them now. */
    void appended(long bytes) {
        for (DiskBudget b : budgets) b.release(bytes);
    }

    void spooled(int records) {
        spooledRecords.add(records);
    }

    /** Seconds since the oldest spooled batch was spooled (0 when the spool is empty). */
    double oldestAgeSeconds() {
        long at = spool.oldestMillis();
        return at < 0 ? 0 : Math.max(0, env.clock().millis() - at) / 1000.0;
    }

    /** The sink's checkpoint state with where the spool ended: a resumed run cuts the spool back to there. */
    Map<String, Object> checkpointState(Map<String, Object> sinkState) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SPOOL_SEQUENCE, spool.lastSequence());
        m.put(SINK_STATE, sinkState);
        return m;
    }

    /**
     * Restores the spool to a checkpoint's state (batches spooled after it are dropped: the sources read their
     * records again) and returns the sink's own state in it.
     */
    @SuppressWarnings("unchecked") // the sink's state was a Map<String, Object> when it was saved
    Map<String, Object> restore(Map<String, Object> state) throws IOException {
        if (state == null || !(state.get(SPOOL_SEQUENCE) instanceof Number seq)) return state;
        List<SinkSpool.Entry> cut = spool.cutAfter(seq.longValue());
        if (!cut.isEmpty()) {
            LOG.info(
                    "sink '{}': {} spooled batches were spooled after the checkpoint; their records are read again",
                    stage,
                    cut.size());
        }
        return (Map<String, Object>) state.get(SINK_STATE);
    }

    @Override
    public void close() throws IOException {
        for (DiskBudget b : budgets) b.remove(spool);
        spool.close();
    }
}
