package io.dataflare.plugins.transforms.shape;

import io.dataflare.api.data.Fields;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Remembers what was computed for each input {@link Fields} (by identity: records of one shape share
 * one instance), so per-record work never rebuilds field lists. The last shape is checked first.
 * Not thread-safe: one per processor instance.
 *
 * @param <T> what is computed per shape
 */
public final class ShapeCache<T> {
    private static final int MAX_SHAPES = 256;

    private final Function<Fields, T> compute;
    private final Map<Fields, T> byShape = new IdentityHashMap<>();
    private Fields lastIn;
    private T lastOut;

    /** A cache computing with {@code compute}. */
    public ShapeCache(Function<Fields, T> compute) {
        this.compute = compute;
    }

    /** The value for {@code in}, computed on first sight. */
    public T get(Fields in) {
        if (in == lastIn) return lastOut;
        T t = byShape.get(in);
        if (t == null) {
            t = compute.apply(in);
            // Sources with ever-new shapes (JSON with varying keys) must not grow this without bound.
            if (byShape.size() >= MAX_SHAPES) byShape.clear();
            byShape.put(in, t);
        }
        lastIn = in;
        lastOut = t;
        return t;
    }
}
