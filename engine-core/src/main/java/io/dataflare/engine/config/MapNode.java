package io.dataflare.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A map from string keys to values, in file order, with the location of each key. */
public final class MapNode implements ConfigNode {
    /** One key and its value. */
    public record Entry(String key, Location keyLocation, ConfigNode value) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Location location;

    /** An empty map at {@code location}; fill it with {@link #put}. */
    public MapNode(Location location) {
        this.location = location;
    }

    /** Adds an entry; returns false (and changes nothing) if the key is already there. */
    public boolean put(String key, Location keyLocation, ConfigNode value) {
        if (entries.containsKey(key)) return false;
        entries.put(key, new Entry(key, keyLocation, value));
        return true;
    }

    /** The value of {@code key}, or null. */
    public ConfigNode get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** The entry of {@code key}, or null. */
    public Entry entry(String key) {
        return entries.get(key);
    }

    /** Where {@code key} is written, or this map's location when it is absent. */
    public Location keyLocation(String key) {
        Entry e = entries.get(key);
        return e == null ? location : e.keyLocation();
    }

    /** Whether {@code key} is present. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The keys, in file order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The entries, in file order. */
    public Iterable<Entry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public Object toPlain() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) out.put(e.key(), e.value().toPlain());
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String describe() {
        return "a map";
    }

    @Override
    public boolean containsUnresolved() {
        for (Entry e : entries.values()) {
            if (e.value().containsUnresolved()) return true;
        }
        return false;
    }
}
