package io.dataflare.engine.state;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** State in memory: for tests and throwaway runs; gone with the process. */
public final class MemoryStateStore implements StateStore {
    private final Map<String, Map<String, String>> data = new ConcurrentHashMap<>();
    private final MemoryLocks locks = new MemoryLocks("memory:");

    @Override
    public Optional<String> get(String namespace, String key) {
        Keys.check(namespace, key);
        return Optional.ofNullable(data.getOrDefault(namespace, Map.of()).get(key));
    }

    @Override
    public void put(String namespace, String key, String value) {
        Keys.check(namespace, key);
        data.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(key, value);
    }

    @Override
    public boolean delete(String namespace, String key) {
        Keys.check(namespace, key);
        Map<String, String> ns = data.get(namespace);
        return ns != null && ns.remove(key) != null;
    }

    @Override
    public Map<String, String> list(String namespace) {
        Keys.checkNamespace(namespace);
        return new TreeMap<>(data.getOrDefault(namespace, Map.of()));
    }

    @Override
    public StateLock lock(String name, String owner) {
        Keys.check("locks", name);
        return locks.acquire(name, owner);
    }

    @Override
    public String describe() {
        return "memory:";
    }
}
