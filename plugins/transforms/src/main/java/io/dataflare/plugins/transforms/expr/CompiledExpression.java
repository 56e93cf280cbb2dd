package io.dataflare.plugins.transforms.expr;

import io.dataflare.api.error.InvalidRecordException;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;

/**
 * A compiled expression with its source text, evaluated against a {@link RecordContext}: plain arithmetic through
 * a {@link DirectArithmetic} tree, anything else (and any record the tree gives up on) by JEXL.
 */
public final class CompiledExpression {
    private final String text;
    private final JexlExpression expression;
    private final DirectArithmetic.Node direct;

    CompiledExpression(String text, JexlExpression expression, DirectArithmetic.Node direct) {
        this.text = text;
        this.expression = expression;
        this.direct = direct;
    }

    /**
     * The value for the context's current record.
     *
     * @throws InvalidRecordException when evaluation fails (in strict mode an undefined field or a null
     *                                operand; in both modes an unknown function, a division by zero...),
     *                                naming the expression
     */
    public Object evaluate(RecordContext ctx) {
        if (direct != null) {
            try {
                return direct.eval(ctx);
            } catch (RuntimeException e) {
                // JEXL's answer then: its error, with its wording (the tree's operators are JEXL's own)
            }
        }
        try {
            return expression.evaluate(ctx);
        } catch (JexlException e) {
            throw new InvalidRecordException("expression '" + text + "' failed: " + Expressions.describe(e, false), e);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidRecordException("expression '" + text + "' failed: " + e.getMessage(), e);
        }
    }

    /** Whether plain arithmetic evaluates it without JEXL's interpreter (see {@link DirectArithmetic}). */
    boolean direct() {
        return direct != null;
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
