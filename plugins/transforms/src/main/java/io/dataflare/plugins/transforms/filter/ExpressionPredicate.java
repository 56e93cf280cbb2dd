package io.dataflare.plugins.transforms.filter;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.Expressions;
import io.dataflare.plugins.transforms.expr.RecordContext;
import java.util.function.Predicate;

/**
 * The per-record test of {@code filter}, run through {@code Processor.filtering}: true keeps the
 * record, false drops it as filtered. A null result (the default mode's answer for absent data, as in
 * {@code flag} with no {@code flag} field) does not match either; in strict mode it is an error. Any other
 * result, or a failed evaluation, throws {@link InvalidRecordException} so that the record is rejected.
 */
final class ExpressionPredicate implements Predicate<Record> {
    private final CompiledExpression expr;
    private final RecordContext ctx;
    private final boolean nullMatchesNothing;

    ExpressionPredicate(Expressions engine, String text) {
        this.expr = engine.compile(text);
        this.ctx = engine.newContext();
        this.nullMatchesNothing = !engine.strict();
    }

    @Override
    public boolean test(Record r) {
        Object v = expr.evaluate(ctx.bind(r));
        if (v instanceof Boolean keep) return keep;
        if (v == null && nullMatchesNothing) return false;
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
