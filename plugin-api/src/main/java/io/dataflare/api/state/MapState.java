package io.dataflare.api.state;

import java.util.Map;

/**
 * A map per key (see {@link StateAccess#map}); each entry is stored on its own, so a large map is never read
 * whole to change one entry.
 *
 * @param <K> the map key type
 * @param <V> the map value type
 * @since 1.1.0
 */
public interface MapState<K, V> {
    /** The value of {@code mapKey} in the map of {@code key}, or null. */
    V get(Object key, K mapKey);

    /** Sets {@code mapKey} in the map of {@code key}; a null value removes it. */
    void put(Object key, K mapKey, V value);

    /** Removes {@code mapKey} from the map of {@code key}. */
    void remove(Object key, K mapKey);

    /** Every entry of the map of {@code key} (a copy, ordered by the encoded map key; empty when none). */
    Map<K, V> entries(Object key);

    /** Removes the whole map of {@code key}. */
    void clear(Object key);
}
