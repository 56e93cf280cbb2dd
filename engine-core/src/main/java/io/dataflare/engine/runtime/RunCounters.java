package io.dataflare.engine.runtime;

import java.util.concurrent.atomic.LongAdder;

/** Pipeline-wide counters that belong to no single stage. */
final class RunCounters {
    final LongAdder skipped = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final RecordLatency latency = new RecordLatency();
}
