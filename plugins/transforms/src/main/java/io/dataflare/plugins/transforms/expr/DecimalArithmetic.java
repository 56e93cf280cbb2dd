package io.dataflare.plugins.transforms.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL's arithmetic, except that a result computed on a decimal stays a decimal: JEXL turns {@code 10.50 * 2}
 * into the long 21 whenever the digits allow it, which would change a field's type with its value (a decimal
 * price becoming a long for some records only). Decimals are computed with {@link MathContext#DECIMAL128}
 * (34 significant digits), so {@code price * 2} and {@code price + 0.01} are exact.
 *
 * <p>Public, with JEXL's three-argument constructor, because JEXL re-creates an arithmetic of the same class
 * reflectively when evaluation options differ from the engine's.
 */
public class DecimalArithmetic extends JexlArithmetic {

    /** A strict arithmetic. */
    public DecimalArithmetic() {
        this(true, null, Integer.MIN_VALUE);
    }

    /** The constructor JEXL calls to derive an instance with other options. */
    public DecimalArithmetic(boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
    }

    @Override
    protected Number narrowBigDecimal(Object lhs, Object rhs, BigDecimal result) {
        return result;
    }
}
