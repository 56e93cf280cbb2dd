package io.dataflare.plugins.transforms.filter;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.RecordContext;
import java.util.function.Predicate;

/**
 * The per-record test of {@code filter}, run through {@code Processor.filtering}: true keeps the
 * record; a result that is not a boolean, or a failed evaluation, throws {@link InvalidRecordException}
 * so that the record is rejected.
 */
final class ExpressionPredicate implements Predicate<Record> {
    private final CompiledExpression expr;
    private final RecordContext ctx = new RecordContext();

    ExpressionPredicate(CompiledExpression expr) {
        this.expr = expr;
    }

    @Override
    public boolean test(Record r) {
        Object v = expr.evaluate(ctx.bind(r));
        if (v instanceof Boolean keep) return keep;
        throw new InvalidRecordException("filter '" + expr + "' gave " + describe(v) + ", not true or false");
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        try {
            return "'" + v + "' (" + FieldType.of(FieldType.normalize(v)).label() + ")";
        } catch (IllegalArgumentException e) {
            return "a " + v.getClass().getSimpleName();
        }
    }
}
