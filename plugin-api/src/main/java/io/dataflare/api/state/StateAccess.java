package io.dataflare.api.state;

import java.time.Duration;

/**
 * The keyed state of one plugin instance, from {@link io.dataflare.api.PluginContext#state()}. Each state has a
 * name, unique within the instance for its kind, and a value type; asking twice for one name gives the same
 * state. Keys are given explicitly on every call (processors work on batches, so there is no "current key"):
 * usually the record key or a field value (String, Long, Integer, byte[] or another JSON-compatible value).
 *
 * <p>State of a key lives in the key's key group; when a stage is routed by that key, the instance that sees
 * the key owns its state. Reads see every write of the same instance at once; the engine saves the state at
 * each checkpoint and restores it on resume.
 *
 * @since 1.1.0
 */
public interface StateAccess {
    /** A value per key, kept until deleted. */
    default <T> ValueState<T> value(String name, StateType<T> type) {
        return value(name, type, null);
    }

    /**
     * A value per key that expires {@code ttl} after it was last written (null: never). An expired value reads
     * as absent.
     */
    <T> ValueState<T> value(String name, StateType<T> type, Duration ttl);

    /** A list per key, kept until cleared. */
    default <T> ListState<T> list(String name, StateType<T> type) {
        return list(name, type, null);
    }

    /** A list per key that expires as a whole {@code ttl} after it was last written (null: never). */
    <T> ListState<T> list(String name, StateType<T> type, Duration ttl);

    /** A map per key, kept until cleared. */
    default <K, V> MapState<K, V> map(String name, StateType<K> keyType, StateType<V> valueType) {
        return map(name, keyType, valueType, null);
    }

    /** A map per key whose entries each expire {@code ttl} after they were last written (null: never). */
    <K, V> MapState<K, V> map(String name, StateType<K> keyType, StateType<V> valueType, Duration ttl);

    /** One value for the whole instance, not per key (e.g. a counter or a watermark). */
    <T> OperatorState<T> operator(String name, StateType<T> type);
}
