package io.dataflare.plugins.transforms.fields;

import io.dataflare.api.data.Fields;
import io.dataflare.plugins.transforms.shape.ShapePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pf4j.Extension;

/** The {@code drop} processor: removes the listed fields. */
@Extension
public final class DropFactory extends FieldListFactory {
    /** The factory. */
    public DropFactory() {
        super("drop", "Removes the listed fields", "Fields to remove");
    }

    @Override
    ShapePlan plan(Fields in, List<String> drop) {
        List<String> names = new ArrayList<>(in.size());
        int[] from = new int[in.size()];
        for (int i = 0; i < in.size(); i++) {
            if (!drop.contains(in.name(i))) {
                from[names.size()] = i;
                names.add(in.name(i));
            }
        }
        if (names.size() == in.size()) return ShapePlan.identity(in);
        return ShapePlan.of(in, Fields.of(names), Arrays.copyOf(from, names.size()));
    }
}
