package io.dataflare.engine.pipeline;

/**
 * A pipeline's resource budget ({@code runtime.memory_mb}, {@code runtime.max_records_per_second}).
 *
 * @param memoryBytes      the most the records in flight may take on the heap (0: no budget, only the queues'
 *                         record counts bound them)
 * @param recordsPerSecond the most records the sources read per second, together (0: no limit)
 */
public record ResourceLimits(long memoryBytes, long recordsPerSecond) {
    /** No budget. */
    public static final ResourceLimits NONE = new ResourceLimits(0, 0);

    public boolean none() {
        return memoryBytes == 0 && recordsPerSecond == 0;
    }
}
