package io.dataflare.engine.state;

import java.util.Arrays;

/**
 * Record keys hashed into a fixed number of key groups, the unit in which keyed state is stored, checkpointed
 * and moved between a stage's instances when its parallelism changes (as Flink's key groups): the number of
 * groups never changes for a pipeline, so rescaling reassigns whole groups instead of rehashing every key. The
 * hash is the same on every node and in every run (no identity hash codes).
 */
public final class KeyGroups {
    /** Key groups of a stage: the most instances it can ever have. */
    public static final int DEFAULT_COUNT = 128;

    private KeyGroups() {}

    /** The key group of {@code key} among {@code groups}; a null key is in group 0. */
    public static int of(Object key, int groups) {
        if (key == null) return 0;
        return Math.floorMod(spread(hash(key)), groups);
    }

    /**
     * The instance owning {@code group} when {@code groups} are split into {@code instances} contiguous
     * ranges, the assignment a fresh run starts with.
     */
    public static int instanceOf(int group, int groups, int instances) {
        return (int) ((long) group * instances / groups);
    }

    private static int hash(Object key) {
        // Record keys are values with value-based hash codes; byte[] is the one exception.
        return key instanceof byte[] b ? Arrays.hashCode(b) : key.hashCode();
    }

    /** Murmur3's finaliser: String and Long hash codes cluster in their low bits, which floorMod uses. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
