package io.dataflare.engine.pipeline;

/**
 * A pipeline's resource budget ({@code runtime.memory_mb}, {@code runtime.max_records_per_second},
 * {@code runtime.disk_mb}, {@code runtime.max_threads}).
 *
 * @param memoryBytes      the most the records in flight may take on the heap (0: no budget, only the queues'
 *                         record counts bound them)
 * @param recordsPerSecond the most records the sources read per second, together (0: no limit)
 * @param diskBytes        the most the spools of the run's buffered sinks may hold together (0: only each
 *                         spool's {@code max_bytes})
 * @param maxThreads       the most worker threads the run's stages may have (0: no cap)
 */
public record ResourceLimits(long memoryBytes, long recordsPerSecond, long diskBytes, int maxThreads) {
    /** No budget. */
    public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0, 0);

    /** A memory budget and a rate limit, nothing else. */
    public ResourceLimits(long memoryBytes, long recordsPerSecond) {
        this(memoryBytes, recordsPerSecond, 0, 0);
    }

    /** Whether the sources' batches and pace are bounded (a memory budget or a rate limit). */
    public boolean boundsSources() {
        return memoryBytes > 0 || recordsPerSecond > 0;
    }

    public boolean none() {
        return memoryBytes == 0 && recordsPerSecond == 0 && diskBytes == 0 && maxThreads == 0;
    }
}
