package io.dataflare.flink;

/** The names of the per-stage counters ({@link StageCounters}), as a local run's stage statistics name them. */
final class Metrics {
    static final String IN = "in";
    static final String OUT = "out";
    static final String FAILED = "failed";
    static final String FILTERED = "filtered";
    static final String DERIVED = "derived";
    static final String ERRORS = "errors";
    static final String RETRIES = "retries";
    static final String TIMEOUTS = "timeouts";
    static final String BATCHES = "batches";
    static final String SKIPPED = "skipped";
    static final String DEAD_LETTERED = "dead_lettered";
    /** Prefix of a named output's count: {@code output:NAME}. */
    static final String OUTPUT = "output:";

    private Metrics() {}
}
