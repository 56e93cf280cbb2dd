package io.dataflare.engine.state.keyed;

import io.dataflare.api.state.ListState;
import io.dataflare.api.state.MapState;
import io.dataflare.api.state.OperatorState;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.StateType;
import io.dataflare.api.state.ValueState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link StateAccess} of one plugin instance over its {@link KeyedStore}. Every stored value starts with
 * its expiry time (epoch milliseconds, 0 for none): an expired value reads as absent and is deleted when read.
 */
public final class KeyedStateAccess implements StateAccess {
    private static final StateType<Object> JSON = StateType.json();
    private final KeyedStore store;
    private final Clock clock;
    /** The TTL of states that give none (0: none). */
    private final long defaultTtlMs;

    public KeyedStateAccess(KeyedStore store, Clock clock) {
        this(store, clock, 0);
    }

    /** With {@code defaultTtlMs} ({@code runtime.state.ttl_ms}) for the states that give no TTL of their own. */
    public KeyedStateAccess(KeyedStore store, Clock clock, long defaultTtlMs) {
        this.store = store;
        this.clock = clock;
        this.defaultTtlMs = defaultTtlMs;
    }

    /** The store underneath. */
    public KeyedStore store() {
        return store;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 200)
            throw new IllegalArgumentException("a state name has 1 to 200 characters: '" + name + "'");
    }

    private long ttlMillis(Duration ttl) {
        if (ttl == null) return defaultTtlMs;
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("a state TTL is positive: " + ttl);
        return ttl.toMillis();
    }

    private byte[] wrap(long ttl, byte[] payload) {
        long expiry = ttl == 0 ? 0 : clock.millis() + ttl;
        return ByteBuffer.allocate(8 + payload.length)
                .putLong(expiry)
                .put(payload)
                .array();
    }

    /** The payload of a stored value, or null when there is none or it expired. */
    private byte[] unwrap(byte[] storeKey, byte[] stored) {
        if (stored == null) return null;
        long expiry = ByteBuffer.wrap(stored).getLong();
        if (expiry != 0 && expiry <= clock.millis()) {
            store.delete(storeKey);
            return null;
        }
        return Arrays.copyOfRange(stored, 8, stored.length);
    }

    private <T> T read(byte[] storeKey, StateType<T> type) {
        byte[] p = unwrap(storeKey, store.get(storeKey));
        return p == null ? null : type.decode(p);
    }

    @Override
    public <T> ValueState<T> value(String name, StateType<T> type, Duration ttl) {
        checkName(name);
        long ttlMs = ttlMillis(ttl);
        return new ValueState<>() {
            @Override
            public T get(Object key) {
                return read(StateKeys.of(StateKeys.VALUE, name, key), type);
            }

            @Override
            public void put(Object key, T value) {
                byte[] k = StateKeys.of(StateKeys.VALUE, name, key);
                if (value == null) store.delete(k);
                else store.put(k, wrap(ttlMs, type.encode(value)));
            }

            @Override
            public void delete(Object key) {
                store.delete(StateKeys.of(StateKeys.VALUE, name, key));
            }
        };
    }

    @Override
    public <T> ListState<T> list(String name, StateType<T> type, Duration ttl) {
        checkName(name);
        long ttlMs = ttlMillis(ttl);
        return new ListState<>() {
            @Override
            public List<T> get(Object key) {
                List<T> out = new ArrayList<>();
                Object stored = read(StateKeys.of(StateKeys.LIST, name, key), JSON);
                if (stored instanceof List<?> l) for (Object o : l) out.add(type.decode((byte[]) o));
                return out;
            }

            @Override
            public void add(Object key, T element) {
                List<T> l = get(key);
                l.add(element);
                update(key, l);
            }

            @Override
            public void update(Object key, List<T> elements) {
                byte[] k = StateKeys.of(StateKeys.LIST, name, key);
                if (elements.isEmpty()) {
                    store.delete(k);
                    return;
                }
                List<Object> encoded = new ArrayList<>(elements.size());
                for (T e : elements) encoded.add(type.encode(e));
                store.put(k, wrap(ttlMs, JSON.encode(encoded)));
            }

            @Override
            public void clear(Object key) {
                store.delete(StateKeys.of(StateKeys.LIST, name, key));
            }
        };
    }

    @Override
    public <K, V> MapState<K, V> map(String name, StateType<K> keyType, StateType<V> valueType, Duration ttl) {
        checkName(name);
        long ttlMs = ttlMillis(ttl);
        return new MapState<>() {
            /** Map keys are stored self-delimited (as bytes), so one map's prefix never matches another key. */
            private byte[] entryKey(Object key, K mapKey) {
                return StateKeys.entry(name, key, JSON.encode(keyType.encode(mapKey)));
            }

            @Override
            public V get(Object key, K mapKey) {
                return read(entryKey(key, mapKey), valueType);
            }

            @Override
            public void put(Object key, K mapKey, V value) {
                if (value == null) remove(key, mapKey);
                else store.put(entryKey(key, mapKey), wrap(ttlMs, valueType.encode(value)));
            }

            @Override
            public void remove(Object key, K mapKey) {
                store.delete(entryKey(key, mapKey));
            }

            @Override
            public Map<K, V> entries(Object key) {
                byte[] prefix = StateKeys.of(StateKeys.MAP, name, key);
                List<byte[][]> found = new ArrayList<>();
                store.scan(prefix, (k, v) -> found.add(new byte[][] {k, v}));
                Map<K, V> out = new LinkedHashMap<>();
                for (byte[][] kv : found) {
                    byte[] p = unwrap(kv[0], kv[1]);
                    if (p == null) continue;
                    byte[] mk = (byte[]) JSON.decode(Arrays.copyOfRange(kv[0], prefix.length, kv[0].length));
                    out.put(keyType.decode(mk), valueType.decode(p));
                }
                return out;
            }

            @Override
            public void clear(Object key) {
                List<byte[]> keys = new ArrayList<>();
                store.scan(StateKeys.of(StateKeys.MAP, name, key), (k, v) -> keys.add(k));
                for (byte[] k : keys) store.delete(k);
            }
        };
    }

    @Override
    public <T> OperatorState<T> operator(String name, StateType<T> type) {
        checkName(name);
        byte[] k = StateKeys.of(StateKeys.OPERATOR, name, null);
        return new OperatorState<>() {
            @Override
            public T get() {
                return read(k, type);
            }

            @Override
            public void put(T value) {
                if (value == null) store.delete(k);
                else store.put(k, wrap(0, type.encode(value)));
            }

            @Override
            public void delete() {
                store.delete(k);
            }
        };
    }
}
