package io.dataflare.plugins.transforms.fields;

import io.dataflare.api.data.Fields;
import io.dataflare.plugins.transforms.shape.ShapePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pf4j.Extension;

/** The {@code select} processor: keeps only the listed fields, in the listed order; absent ones stay absent. */
@Extension
public final class SelectFactory extends FieldListFactory {
    /** The factory. */
    public SelectFactory() {
        super("select", "Keeps only the listed fields, in that order", "Fields to keep, in output order");
    }

    @Override
    ShapePlan plan(Fields in, List<String> keep) {
        List<String> names = new ArrayList<>(keep.size());
        int[] from = new int[keep.size()];
        for (String k : keep) {
            int i = in.indexOf(k);
            if (i >= 0) {
                from[names.size()] = i;
                names.add(k);
            }
        }
        return ShapePlan.of(in, Fields.of(names), Arrays.copyOf(from, names.size()));
    }
}
