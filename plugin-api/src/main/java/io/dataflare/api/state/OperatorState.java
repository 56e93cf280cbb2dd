package io.dataflare.api.state;

/**
 * One value for the whole plugin instance (see {@link StateAccess#operator}).
 *
 * @param <T> the value type
 * @since 1.1.0
 */
public interface OperatorState<T> {
    /** The value, or null. */
    T get();

    /** Sets the value; null deletes it. */
    void put(T value);

    /** Removes the value. */
    void delete();
}
