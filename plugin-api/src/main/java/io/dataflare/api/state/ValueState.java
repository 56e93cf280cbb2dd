package io.dataflare.api.state;

/**
 * A value per key (see {@link StateAccess#value}).
 *
 * @param <T> the value type
 * @since 1.1.0
 */
public interface ValueState<T> {
    /** The value of {@code key}, or null when it has none (or it expired). */
    T get(Object key);

    /** The value of {@code key}, or {@code fallback} when it has none. */
    default T getOrDefault(Object key, T fallback) {
        T v = get(key);
        return v == null ? fallback : v;
    }

    /** Sets the value of {@code key}; null deletes it. */
    void put(Object key, T value);

    /** Removes the value of {@code key}. */
    void delete(Object key);
}
