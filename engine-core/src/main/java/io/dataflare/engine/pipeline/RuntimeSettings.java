package io.dataflare.engine.pipeline;

import io.dataflare.engine.state.keyed.StateSettings;

/**
 * The pipeline's {@code runtime:} settings.
 *
 * @param batchSize    records per batch (default 1000)
 * @param maxWaitMs    how long a source batch may wait to fill before it is sent (default 200)
 * @param parallelism  default instances per processor (default 1)
 * @param queueBatches batches a stage's input queue holds before upstream stages wait (default 4)
 * @param checkpointIntervalMs how often a checkpoint is taken when the run has a state store (default
 *                             10000; 0: only when the run stops)
 * @param stopWhenIdleMs ends the run (COMPLETED, after a final checkpoint) once no source has produced a
 *                       record for this long; 0 (the default): never, an unbounded source runs until stopped
 * @param adaptiveBatch  adaptive batching ({@code batch: {adaptive: true}}), or null for fixed batches of
 *                       {@code batchSize}
 * @param state          where keyed state lives, and its default TTL ({@code runtime.state})
 * @param engine         where the pipeline runs: {@value #LOCAL} (the default: this process) or {@value #FLINK}
 *                       (cloud mode: an Apache Flink job, run by {@code dataflare run})
 * @param limits         the memory budget and rate limit ({@code memory_mb}, {@code max_records_per_second})
 */
public record RuntimeSettings(
        int batchSize,
        long maxWaitMs,
        int parallelism,
        int queueBatches,
        long checkpointIntervalMs,
        long stopWhenIdleMs,
        AdaptiveBatch adaptiveBatch,
        StateSettings state,
        String engine,
        ResourceLimits limits) {
    /** {@code runtime.engine} of a pipeline run by this process. */
    public static final String LOCAL = "local";
    /** {@code runtime.engine} of a pipeline run as an Apache Flink job. */
    public static final String FLINK = "flink";

    /** The defaults: fixed batches, the default keyed state, run by this process, no resource budget. */
    public static final RuntimeSettings DEFAULTS =
            new RuntimeSettings(1000, 200, 1, 4, 10_000, 0, null, StateSettings.DEFAULTS, LOCAL, ResourceLimits.NONE);
}
