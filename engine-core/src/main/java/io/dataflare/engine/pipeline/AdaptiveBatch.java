package io.dataflare.engine.pipeline;

/**
 * Adaptive batching of a pipeline's sources ({@code runtime.batch: {adaptive: true, ...}}): each source's batch
 * size grows while its batches fill (throughput) and halves when one is sent short (latency), within bounds; a
 * batch waits at most {@code targetLatencyMs} for records, in place of {@code max_wait_ms}.
 *
 * @param targetLatencyMs the longest a record waits in a source batch (default 20)
 * @param min             the smallest batch (default 1)
 * @param max             the largest batch (default 10000)
 * @param increase        records added after a full batch (default 100)
 */
public record AdaptiveBatch(long targetLatencyMs, int min, int max, int increase) {}
