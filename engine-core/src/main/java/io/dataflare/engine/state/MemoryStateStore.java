package io.dataflare.engine.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State in memory: for tests and throwaway runs; gone with the process. One monitor guards everything, so a
 * transaction is atomic and isolated from every other call.
 */
public final class MemoryStateStore implements StateStore {
    private final Map<String, Map<String, Versioned>> data = new HashMap<>();
    private final Map<StateRef, Log> logs = new HashMap<>();
    private final MemoryLocks locks = new MemoryLocks("memory:");

    /** One log: its records from sequence number {@code first} on, and the last sequence number ever given. */
    private static final class Log {
        long first = 1;
        long last;
        final ArrayList<String> records = new ArrayList<>();
    }

    @Override
    public Optional<String> get(String namespace, String key) {
        return getVersioned(namespace, key).map(Versioned::value);
    }

    @Override
    public synchronized Optional<Versioned> getVersioned(String namespace, String key) {
        Keys.check(namespace, key);
        return Optional.ofNullable(data.getOrDefault(namespace, Map.of()).get(key));
    }

    @Override
    public synchronized void put(String namespace, String key, String value) {
        Keys.check(namespace, key);
        write(new StateRef(namespace, key), Optional.of(value));
    }

    @Override
    public synchronized boolean delete(String namespace, String key) {
        Keys.check(namespace, key);
        return write(new StateRef(namespace, key), Optional.empty()) >= 0;
    }

    @Override
    public synchronized Map<String, String> list(String namespace) {
        Keys.checkNamespace(namespace);
        Map<String, String> out = new TreeMap<>();
        data.getOrDefault(namespace, Map.of()).forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    @Override
    public StateTransaction transaction() {
        return new StateTransaction(this::commit);
    }

    private synchronized StateCommit commit(StateTransaction.Plan plan) {
        plan.check(describe(), this::version, this::lastSequence);
        Map<StateRef, Long> versions = new HashMap<>();
        plan.writes().forEach((ref, value) -> versions.put(ref, Math.max(0, write(ref, value))));
        Map<StateRef, Long> ends = new HashMap<>();
        plan.appends().forEach((ref, records) -> {
            Log log = logs.computeIfAbsent(ref, r -> new Log());
            log.records.addAll(records);
            log.last += records.size();
            ends.put(ref, log.last);
        });
        return new StateCommit(versions, ends);
    }

    /** Puts or deletes; the key's new version (0 when deleted), or -1 for deleting a key that was not there. */
    private long write(StateRef ref, Optional<String> value) {
        Map<String, Versioned> ns = data.computeIfAbsent(ref.namespace(), n -> new HashMap<>());
        if (value.isEmpty()) return ns.remove(ref.name()) == null ? -1 : 0;
        long version = version(ref) + 1;
        ns.put(ref.name(), new Versioned(value.get(), version));
        return version;
    }

    private long version(StateRef ref) {
        Versioned v = data.getOrDefault(ref.namespace(), Map.of()).get(ref.name());
        return v == null ? 0 : v.version();
    }

    @Override
    public synchronized List<LogRecord> read(String namespace, String log, long from, int max) {
        Log l = logs.get(new StateRef(namespace, log));
        List<LogRecord> out = new ArrayList<>();
        if (l == null) return out;
        for (long seq = Math.max(from, l.first); seq <= l.last && out.size() < max; seq++) {
            out.add(new LogRecord(seq, l.records.get((int) (seq - l.first))));
        }
        return out;
    }

    @Override
    public synchronized long lastSequence(String namespace, String log) {
        return lastSequence(new StateRef(namespace, log));
    }

    private long lastSequence(StateRef ref) {
        Log l = logs.get(ref);
        return l == null ? 0 : l.last;
    }

    @Override
    public synchronized void truncateBefore(String namespace, String log, long sequence) {
        StateRef ref = new StateRef(namespace, log);
        Truncation.check(ref, sequence, lastSequence(ref));
        Log l = logs.get(ref);
        if (l == null || sequence <= l.first) return;
        l.records.subList(0, (int) (sequence - l.first)).clear();
        l.first = sequence;
    }

    @Override
    public synchronized SortedSet<String> namespaces() {
        SortedSet<String> out = new TreeSet<>();
        data.forEach((ns, keys) -> {
            if (!keys.isEmpty()) out.add(ns);
        });
        for (StateRef ref : logs.keySet()) out.add(ref.namespace());
        return out;
    }

    @Override
    public synchronized SortedSet<String> logs(String namespace) {
        Keys.checkNamespace(namespace);
        SortedSet<String> out = new TreeSet<>();
        for (StateRef ref : logs.keySet()) if (ref.namespace().equals(namespace)) out.add(ref.name());
        return out;
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
