package io.dataflare.engine.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stage's counters at a moment.
 *
 * @param recordsIn  records read (sources: including rejected input) or received
 * @param recordsOut records emitted (sources, processors) or written (sinks)
 * @param failed     records handed to the error policy
 * @param filtered   records a processor dropped on purpose
 * @param derived    extra records: a processor emitting more than it got, or copies made by fan-out
 * @param errors     failed attempts (each retry that failed counts)
 * @param retries    attempts made again after a failure
 * @param timeouts   calls that overran their time limit (each counts, also when retried)
 * @param busyMs     time spent inside the plugin, summed over instances
 * @param queued     batches waiting in the stage's input queue(s)
 * @param outputs    records emitted to each named output of a processor that has them (empty otherwise), in
 *                   the order it declares them; a record sent to two outputs counts in both
 */
public record StageSnapshot(
        String name,
        String role,
        String plugin,
        int instances,
        long recordsIn,
        long recordsOut,
        long failed,
        long filtered,
        long derived,
        long errors,
        long retries,
        long timeouts,
        long batches,
        long busyMs,
        int queued,
        Map<String, Long> outputs) {
    public StageSnapshot {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
