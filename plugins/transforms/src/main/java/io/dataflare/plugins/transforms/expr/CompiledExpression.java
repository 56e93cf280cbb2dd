package io.dataflare.plugins.transforms.expr;

import io.dataflare.api.error.InvalidRecordException;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;

/** A compiled expression with its source text, evaluated against a {@link RecordContext}. */
public final class CompiledExpression {
    private final String text;
    private final JexlExpression expression;

    CompiledExpression(String text, JexlExpression expression) {
        this.text = text;
        this.expression = expression;
    }

    /**
     * The value for the context's current record.
     *
     * @throws InvalidRecordException when evaluation fails (in strict mode an undefined field or a null
     *                                operand; in both modes an unknown function, a division by zero...),
     *                                naming the expression
     */
    public Object evaluate(RecordContext ctx) {
        try {
            return expression.evaluate(ctx);
        } catch (JexlException e) {
            throw new InvalidRecordException("expression '" + text + "' failed: " + Expressions.describe(e, false), e);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidRecordException("expression '" + text + "' failed: " + e.getMessage(), e);
        }
    }

    /** The source text. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
