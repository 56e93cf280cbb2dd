package io.dataflare.api.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ordered, immutable list of field names shared by many records, so that a record stores only its
 * values. A source creates one {@code Fields} per schema (for example from a CSV header) and builds all
 * its records on it; a processor that adds the same field to every record gets the same extended
 * {@code Fields} back each time (see {@link #with(String)}), so building records stays cheap.
 *
 * @since 1.0.0
 */
public final class Fields {
    /** No fields. */
    public static final Fields EMPTY = new Fields(new String[0]);

    private static final int LINEAR_LOOKUP_MAX = 8;
    private static final int MAX_CACHED_CHILDREN = 64;

    private final String[] names;
    private final Map<String, Integer> index;
    private final Map<String, Child> children = new ConcurrentHashMap<>(4);
    // the child last handed out: a processor adding the same field to every record skips the lookups
    private Child lastChild;

    private record Child(String name, Fields fields) {}

    private Fields(String[] names) {
        this.names = names;
        if (names.length > LINEAR_LOOKUP_MAX) {
            Map<String, Integer> m = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) m.put(names[i], i);
            this.index = m;
        } else {
            this.index = null;
        }
    }

    /**
     * Fields with these names, in this order.
     *
     * @throws IllegalArgumentException if a name is null, empty or repeated
     */
    public static Fields of(String... names) {
        String[] copy = names.clone();
        // many names (a module's or a script's output can have any number) are checked in linear time
        Set<String> seen = copy.length > LINEAR_LOOKUP_MAX ? new HashSet<>(copy.length * 2) : null;
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null || copy[i].isEmpty()) {
                throw new IllegalArgumentException("field " + (i + 1) + " has no name");
            }
            boolean repeated = false;
            if (seen != null) {
                repeated = !seen.add(copy[i]);
            } else {
                for (int j = 0; j < i && !repeated; j++) repeated = copy[j].equals(copy[i]);
            }
            if (repeated) throw new IllegalArgumentException("field '" + copy[i] + "' appears twice");
        }
        return new Fields(copy);
    }

    /** Fields with these names, in this order. */
    public static Fields of(List<String> names) {
        return of(names.toArray(new String[0]));
    }

    /** The position of {@code name}, or -1 when there is no such field. */
    public int indexOf(String name) {
        if (index != null) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }
        String[] n = names;
        for (int i = 0; i < n.length; i++) {
            if (n[i] == name) return i;
        }
        for (int i = 0; i < n.length; i++) {
            if (n[i].equals(name)) return i;
        }
        return -1;
    }

    /** Whether a field of this name exists. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The number of fields. */
    public int size() {
        return names.length;
    }

    /** The name of the field at {@code i}. */
    public String name(int i) {
        return names[i];
    }

    /** The names, in order. */
    public List<String> names() {
        return List.of(names);
    }

    /**
     * These fields plus {@code name} at the end (this instance if it is already there). The result is
     * cached, so records that gain the same field share one {@code Fields}.
     */
    public Fields with(String name) {
        Child last = lastChild; // racy but safe: a Child is immutable, and any one read is a right answer
        if (last != null && last.name.equals(name)) return last.fields;
        if (indexOf(name) >= 0) return this;
        Child child = children.get(name);
        if (child == null) {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("a field needs a name");
            String[] n = Arrays.copyOf(names, names.length + 1);
            n[names.length] = name;
            child = new Child(name, new Fields(n));
            if (children.size() >= MAX_CACHED_CHILDREN) return child.fields;
            Child prior = children.putIfAbsent(name, child);
            if (prior != null) child = prior;
        }
        lastChild = child;
        return child.fields;
    }

    /** These fields without {@code name} (this instance if it is not there). */
    public Fields without(String name) {
        int i = indexOf(name);
        if (i < 0) return this;
        String[] n = new String[names.length - 1];
        System.arraycopy(names, 0, n, 0, i);
        System.arraycopy(names, i + 1, n, i, names.length - i - 1);
        return new Fields(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fields f && Arrays.equals(names, f.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
