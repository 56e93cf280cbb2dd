package io.dataflare.engine.runtime.scale;

/**
 * A source's batch size that follows its input, AIMD (as TCP's congestion window): a batch that filled before
 * the latency target (the source has a backlog: throughput matters) grows the next one additively by
 * {@code increase} records; a batch sent short (the source ran dry or the target passed: latency matters)
 * halves it. Always within [{@code min}, {@code max}]. Used by one source thread.
 */
public final class AdaptiveBatchSize {
    private final int min;
    private final int max;
    private final int increase;
    private int size;

    /**
     * @param initial  the first batch size (brought within the bounds)
     * @param min      the smallest batch
     * @param max      the largest batch
     * @param increase records added after a full batch
     */
    public AdaptiveBatchSize(int initial, int min, int max, int increase) {
        if (min < 1 || max < min) throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ", " + max);
        if (increase < 1) throw new IllegalArgumentException("increase must be at least 1");
        this.min = min;
        this.max = max;
        this.increase = increase;
        this.size = Math.max(min, Math.min(max, initial));
    }

    /** The size of the next batch. */
    public int size() {
        return size;
    }

    /** A batch of {@code records} was sent; {@code full} when it reached {@link #size()}. */
    public void sent(int records, boolean full) {
        if (full) size = (int) Math.min(max, (long) size + increase);
        else if (records < size) size = Math.max(min, size / 2);
    }
}
