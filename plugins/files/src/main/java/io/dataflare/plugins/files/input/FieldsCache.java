package io.dataflare.plugins.files.input;

import io.dataflare.api.data.Fields;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out one {@link Fields} per distinct list of names, so that every record of one shape (a CSV
 * header, the keys of similar JSON objects) shares it. The last shape is checked first, without
 * allocating: consecutive records nearly always have the same shape. Not thread-safe (one per source).
 */
public final class FieldsCache {
    private static final int MAX_SHAPES = 1024;

    private final Map<List<String>, Fields> shapes = new HashMap<>();
    private Fields last;

    /**
     * The fields named by the first {@code count} entries of {@code names}.
     *
     * @throws IllegalArgumentException if a name is repeated or empty
     */
    public Fields lookup(String[] names, int count) {
        Fields l = last;
        if (l != null && sameNames(l, names, count)) return l;
        List<String> key = List.of(Arrays.copyOf(names, count));
        Fields f = shapes.get(key);
        if (f == null) {
            f = Fields.of(key);
            // A source with ever-changing shapes must not grow without bound.
            if (shapes.size() >= MAX_SHAPES) shapes.clear();
            shapes.put(key, f);
        }
        last = f;
        return f;
    }

    private static boolean sameNames(Fields f, String[] names, int count) {
        if (f.size() != count) return false;
        for (int i = 0; i < count; i++) {
            String a = f.name(i);
            String b = names[i];
            if (a != b && !a.equals(b)) return false;
        }
        return true;
    }
}
