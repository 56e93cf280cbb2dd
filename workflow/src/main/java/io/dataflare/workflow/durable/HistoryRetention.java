package io.dataflare.workflow.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deletes the histories of executions that finished longer ago than the retention period. Running executions
 * and those finished more recently are left alone; the time compared is the execution's recorded end (its last
 * event's timestamp), so a sweep's outcome depends only on the {@code now} it is given.
 */
public final class HistoryRetention {
    private final StoreHistory history;
    private final Duration keep;

    /** @param keep how long a finished execution's history is kept after its end */
    public HistoryRetention(StoreHistory history, Duration keep) {
        if (keep.isNegative() || keep.isZero())
            throw new IllegalArgumentException("the retention period must be positive: " + keep);
        this.history = history;
        this.keep = keep;
    }

    public Duration keep() {
        return keep;
    }

    /**
     * Deletes every history of an execution that ended before {@code now - keep}.
     *
     * @param deleted called with each execution's name before its history is deleted (to delete what belongs
     *                to it elsewhere)
     * @return the executions whose histories were deleted, by name
     */
    public List<String> sweep(Instant now, Consumer<String> deleted) {
        Instant cutoff = now.minus(keep);
        List<String> out = new ArrayList<>();
        for (StoreHistory.Entry e : history.registry().values()) {
            if (!e.status().finished() || e.endedAt() == null || !e.endedAt().isBefore(cutoff)) continue;
            deleted.accept(e.execution());
            if (history.delete(e.execution())) out.add(e.execution());
        }
        return out;
    }
}
