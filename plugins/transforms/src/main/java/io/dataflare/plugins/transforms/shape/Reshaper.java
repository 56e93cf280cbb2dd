package io.dataflare.plugins.transforms.shape;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.processor.RecordMapper;
import java.util.function.Function;

/**
 * The per-record work of processors that only rearrange fields (select, drop, rename), for
 * {@code Processor.mapping}: one {@link ShapePlan} per input shape, applied to each record.
 */
public final class Reshaper implements RecordMapper {
    private final ShapeCache<ShapePlan> plans;

    /** Applies the plans {@code planner} makes. */
    public Reshaper(Function<Fields, ShapePlan> planner) {
        this.plans = new ShapeCache<>(planner);
    }

    @Override
    public Record apply(Record r) {
        return plans.get(r.fields()).apply(r, null);
    }
}
