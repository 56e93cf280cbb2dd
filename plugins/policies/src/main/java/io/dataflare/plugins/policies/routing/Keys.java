package io.dataflare.plugins.policies.routing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Hashing and identity of routing keys, the same on every node (no identity hash codes). */
final class Keys {
    private Keys() {}

    /** The instance for {@code key} among {@code instances} by hash; a null key goes to 0. */
    static int hashRoute(Object key, int instances) {
        if (key == null) return 0;
        return Math.floorMod(spread(hash(key)), instances);
    }

    /** A key usable in a hash map by value (byte arrays compare by content). */
    static Object canonical(Object key) {
        return key instanceof byte[] b ? ByteBuffer.wrap(b) : key;
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
