package io.dataflare.plugins.transforms.expr;

import java.math.MathContext;
import org.apache.commons.jexl3.JexlOperator;

/**
 * The arithmetic of the default (non-strict) expression mode, where null is a value rather than an error:
 * arithmetic with a null operand gives null (as in SQL), an ordering comparison with null is false, and
 * equality treats null as a value ({@code null == null}). Every operator accepts null operands; what a
 * null gives is decided here. Between non-null operands nothing changes: the arithmetic stays strict so
 * that, for instance, a division by zero is still an error instead of JEXL's lenient 0, and decimals stay
 * decimals ({@link DecimalArithmetic}).
 *
 * <p>Public, with JEXL's three-argument constructor, because JEXL re-creates an arithmetic of the same
 * class reflectively when evaluation options differ from the engine's.
 */
public final class NullPropagatingArithmetic extends DecimalArithmetic {

    /** A strict arithmetic whose operators accept null. */
    public NullPropagatingArithmetic() {
        this(true, null, Integer.MIN_VALUE);
    }

    /** The constructor JEXL calls to derive an instance with other options. */
    public NullPropagatingArithmetic(boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
    }

    /** No operator rejects a null operand: the overrides below give its result. */
    @Override
    public boolean isStrict(JexlOperator operator) {
        return false;
    }

    /** What {@code &&} and {@code ||} test their operands with: null is false, as in {@code !} and {@code ? :}. */
    @Override
    public boolean toBoolean(Object value) {
        return value != null && super.toBoolean(value);
    }

    @Override
    public Object add(Object left, Object right) {
        return left == null || right == null ? null : super.add(left, right);
    }

    @Override
    public Object subtract(Object left, Object right) {
        return left == null || right == null ? null : super.subtract(left, right);
    }

    @Override
    public Object multiply(Object left, Object right) {
        return left == null || right == null ? null : super.multiply(left, right);
    }

    @Override
    public Object divide(Object left, Object right) {
        return left == null || right == null ? null : super.divide(left, right);
    }

    @Override
    public Object mod(Object left, Object right) {
        return left == null || right == null ? null : super.mod(left, right);
    }

    @Override
    public Object negate(Object value) {
        return value == null ? null : super.negate(value);
    }

    @Override
    public Object positivize(Object value) {
        return value == null ? null : super.positivize(value);
    }

    @Override
    public Object complement(Object value) {
        return value == null ? null : super.complement(value);
    }

    @Override
    public Object and(Object left, Object right) {
        return left == null || right == null ? null : super.and(left, right);
    }

    @Override
    public Object or(Object left, Object right) {
        return left == null || right == null ? null : super.or(left, right);
    }

    @Override
    public Object xor(Object left, Object right) {
        return left == null || right == null ? null : super.xor(left, right);
    }

    @Override
    public Object shiftLeft(Object left, Object right) {
        return left == null || right == null ? null : super.shiftLeft(left, right);
    }

    @Override
    public Object shiftRight(Object left, Object right) {
        return left == null || right == null ? null : super.shiftRight(left, right);
    }

    @Override
    public Object shiftRightUnsigned(Object left, Object right) {
        return left == null || right == null ? null : super.shiftRightUnsigned(left, right);
    }

    // JEXL answers null <= null and null >= null with true (same reference); an ordering with null is false.

    @Override
    public boolean lessThan(Object left, Object right) {
        return left != null && right != null && super.lessThan(left, right);
    }

    @Override
    public boolean lessThanOrEqual(Object left, Object right) {
        return left != null && right != null && super.lessThanOrEqual(left, right);
    }

    @Override
    public boolean greaterThan(Object left, Object right) {
        return left != null && right != null && super.greaterThan(left, right);
    }

    @Override
    public boolean greaterThanOrEqual(Object left, Object right) {
        return left != null && right != null && super.greaterThanOrEqual(left, right);
    }
}
