package io.dataflare.plugins.transforms.shape;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;

/**
 * How records of one input shape become output records: the output {@link Fields}, and for each output
 * field where its value comes from (an input position, or with {@code -(k + 1)} the k-th computed value).
 * Planned once per distinct input {@code Fields} (see {@link ShapeCache}), applied to every record.
 *
 * @param out      the output fields
 * @param from     per output field: its input position, or {@code -(k + 1)} for computed value k
 * @param identity whether output records are the input records unchanged
 */
public record ShapePlan(Fields out, int[] from, boolean identity) {
    /** A plan that passes records through. */
    public static ShapePlan identity(Fields in) {
        int[] from = new int[in.size()];
        for (int i = 0; i < from.length; i++) from[i] = i;
        return new ShapePlan(in, from, true);
    }

    /** A plan; it is the identity when it keeps every input field in place. */
    public static ShapePlan of(Fields in, Fields out, int[] from) {
        boolean same = out.size() == in.size();
        for (int i = 0; same && i < from.length; i++)
            same = from[i] == i && in.name(i).equals(out.name(i));
        return new ShapePlan(same ? in : out, from, same);
    }

    /** The output record for {@code in}; key, headers and event time carry over. */
    public Record apply(Record in, Object[] computed) {
        if (identity) return in;
        Record.Builder b = Record.builder(out);
        for (int i = 0; i < from.length; i++) {
            int f = from[i];
            b.set(i, f >= 0 ? in.value(f) : computed[-f - 1]);
        }
        b.key(in.key()).eventTime(in.eventTime());
        if (!in.headers().isEmpty()) b.headers(in.headers());
        return b.build();
    }
}
