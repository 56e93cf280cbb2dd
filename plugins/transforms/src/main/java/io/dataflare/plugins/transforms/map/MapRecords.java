package io.dataflare.plugins.transforms.map;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.RecordMapper;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.RecordContext;
import io.dataflare.plugins.transforms.shape.ShapeCache;
import io.dataflare.plugins.transforms.shape.ShapePlan;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-record work of {@code map} (run through {@code Processor.mapping}, which rejects a record whose
 * expression fails). Evaluates the {@code set} expressions on each record and builds the output through a
 * {@link ShapePlan} per input shape: assigned fields keep their position (new ones go last), removed
 * fields are left out. Header expressions, if any, are applied to the result. See {@link MapFactory}.
 */
final class MapRecords implements RecordMapper {
    private final String[] targets;
    private final CompiledExpression[] expressions;
    private final Set<String> remove;
    private final ShapeCache<ShapePlan> plans = new ShapeCache<>(this::plan);
    private final RecordContext ctx;
    private final Object[] computed;
    private final String[] headerNames;
    private final CompiledExpression[] headerExpressions;

    MapRecords(
            Map<String, CompiledExpression> set,
            List<String> remove,
            Map<String, CompiledExpression> headers,
            RecordContext ctx) {
        this.ctx = ctx;
        this.targets = set.keySet().toArray(new String[0]);
        this.expressions = set.values().toArray(new CompiledExpression[0]);
        this.remove = Set.copyOf(remove);
        this.computed = new Object[targets.length];
        this.headerNames = headers.keySet().toArray(new String[0]);
        this.headerExpressions = headers.values().toArray(new CompiledExpression[0]);
    }

    @Override
    public Record apply(Record r) {
        try {
            ctx.bind(r);
            for (int k = 0; k < expressions.length; k++)
                computed[k] = toValue(expressions[k], expressions[k].evaluate(ctx));
            Record out = plans.get(r.fields()).apply(r, computed);
            return headerExpressions.length == 0 ? out : withHeaders(out);
        } finally {
            Arrays.fill(computed, null);
        }
    }

    /** {@code out} with the header expressions' texts, evaluated on the input record bound in ctx. */
    private Record withHeaders(Record out) {
        Map<String, String> headers = new HashMap<>(out.headers());
        for (int k = 0; k < headerExpressions.length; k++) {
            Object v = headerExpressions[k].evaluate(ctx);
            if (v == null) headers.remove(headerNames[k]);
            else headers.put(headerNames[k], v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
        }
        return out.toBuilder().headers(headers).build();
    }

    private ShapePlan plan(Fields in) {
        List<String> names = new ArrayList<>(in.size() + targets.length);
        List<Integer> from = new ArrayList<>(in.size() + targets.length);
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (remove.contains(name)) continue;
            int k = Arrays.asList(targets).indexOf(name);
            names.add(name);
            from.add(k >= 0 ? -(k + 1) : i);
        }
        for (int k = 0; k < targets.length; k++) {
            if (!in.contains(targets[k])) {
                names.add(targets[k]);
                from.add(-(k + 1));
            }
        }
        return ShapePlan.of(
                in, Fields.of(names), from.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A JEXL result as a record value: JEXL gives ints and primitive arrays ({@code [1, 2]}) too. */
    private static Object toValue(CompiledExpression e, Object v) {
        try {
            if (v != null
                    && v.getClass().isArray()
                    && v.getClass().getComponentType().isPrimitive()) {
                List<Object> l = new ArrayList<>(Array.getLength(v));
                for (int i = 0; i < Array.getLength(v); i++) l.add(Array.get(v, i));
                return FieldType.normalize(l);
            }
            return FieldType.normalize(v);
        } catch (IllegalArgumentException ex) {
            throw new InvalidRecordException(
                    "expression '" + e + "' gave a value a record cannot hold: " + ex.getMessage());
        }
    }
}
