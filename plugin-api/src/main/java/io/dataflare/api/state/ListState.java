package io.dataflare.api.state;

import java.util.List;

/**
 * A list per key (see {@link StateAccess#list}), kept as one value: meant for short lists such as a window of
 * the last N values.
 *
 * @param <T> the element type
 * @since 1.1.0
 */
public interface ListState<T> {
    /** The list of {@code key} (a copy; empty when it has none). */
    List<T> get(Object key);

    /** Appends {@code element} to the list of {@code key}. */
    void add(Object key, T element);

    /** Replaces the list of {@code key} (empty: clears it). */
    void update(Object key, List<T> elements);

    /** Removes the list of {@code key}. */
    void clear(Object key);
}
