package io.dataflare.plugins.transforms.expr;

import java.util.function.BinaryOperator;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.MapContext;

/**
 * Arithmetic over fields and number literals ({@code id * 2}, {@code (price - cost) / qty}, {@code -amount + 1})
 * evaluated as a small tree of nodes instead of by JEXL's interpreter, which sets up an interpreter, its options
 * and thread-locals on every evaluation: that set-up, not the arithmetic, was most of a {@code map} stage's time.
 *
 * <p>Only the operators {@code + - * / %}, unary minus, parentheses, plain variable names and unsuffixed decimal
 * literals are taken; any other text gives no tree and stays with JEXL. The values are JEXL's own: each operator
 * calls the engine's {@link JexlArithmetic} (the method JEXL's interpreter calls for it), literals are what JEXL
 * parses them to, and a name counts as a variable only when JEXL reads it as one. When a tree cannot give JEXL's
 * answer (a name the context does not define, an operator that fails), it gives up and the caller evaluates the
 * expression with JEXL, whose result or error is then the answer: expressions have no side effects, so evaluating
 * one again changes nothing.
 */
final class DirectArithmetic {
    /** Thrown by a tree that leaves the record to JEXL; carries no stack. */
    static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    /** One node of a tree. */
    interface Node {
        Object eval(JexlContext ctx);
    }

    private final String text;
    private final JexlEngine engine;
    private final JexlArithmetic arithmetic;
    private int pos;

    private DirectArithmetic(String text, JexlEngine engine) {
        this.text = text;
        this.engine = engine;
        this.arithmetic = engine.getArithmetic();
    }

    /** The tree of {@code text}, or null when it is not plain arithmetic (JEXL evaluates it then). */
    static Node parse(String text, JexlEngine engine) {
        DirectArithmetic p = new DirectArithmetic(text, engine);
        try {
            Node n = p.sum();
            p.skipSpaces();
            return p.pos == text.length() ? n : null;
        } catch (JexlException | ArithmeticException | NotPlain e) {
            return null;
        }
    }

    /** Not in the subset: the parse stops. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private Node sum() {
        Node left = product();
        while (true) {
            char op = peek();
            if (op != '+' && op != '-') return left;
            pos++;
            Node l = left;
            Node r = product();
            left = op == '+'
                    ? binary(l, r, JexlOperator.ADD, arithmetic::add, op)
                    : binary(l, r, JexlOperator.SUBTRACT, arithmetic::subtract, op);
        }
    }

    private Node product() {
        Node left = unary();
        while (true) {
            char op = peek();
            if (op != '*' && op != '/' && op != '%') return left;
            pos++;
            Node l = left;
            Node r = unary();
            left = switch (op) {
                case '*' -> binary(l, r, JexlOperator.MULTIPLY, arithmetic::multiply, op);
                case '/' -> binary(l, r, JexlOperator.DIVIDE, arithmetic::divide, NO_LONG_PATH);
                default -> binary(l, r, JexlOperator.MOD, arithmetic::mod, NO_LONG_PATH);
            };
        }
    }

    /** The {@code longPath} of an operator computed by the arithmetic alone. */
    private static final char NO_LONG_PATH = '\0';

    /**
     * {@code op} on the two operands' values. Where the arithmetic is strict about null for {@code op} (strict mode),
     * JEXL's interpreter rejects a null operand before the arithmetic sees it: a null goes to JEXL for its error.
     *
     * <p>With {@code longPath} {@code + - *}, a long with a long or an int (a field with a literal: the common case)
     * is computed here when it does not overflow: JEXL's answer then is that same long (it narrows to an int only
     * when neither operand is a long, and widens to a big integer on overflow, which stays with the arithmetic). Its
     * generic path converts and dispatches on the operands' classes for every record.
     */
    private Node binary(Node l, Node r, JexlOperator op, BinaryOperator<Object> apply, char longPath) {
        boolean nullsToJexl = arithmetic.isStrict(op);
        return ctx -> {
            Object left = l.eval(ctx);
            Object right = r.eval(ctx);
            if (longPath != NO_LONG_PATH
                    && (left instanceof Long || right instanceof Long)
                    && (left instanceof Long || left instanceof Integer)
                    && (right instanceof Long || right instanceof Integer)) {
                long a = ((Number) left).longValue();
                long b = ((Number) right).longValue();
                try {
                    return switch (longPath) {
                        case '+' -> Math.addExact(a, b);
                        case '-' -> Math.subtractExact(a, b);
                        default -> Math.multiplyExact(a, b);
                    };
                } catch (ArithmeticException overflow) {
                    // the arithmetic's own answer below
                }
            }
            if (nullsToJexl && (left == null || right == null)) throw GiveUp.INSTANCE;
            return apply.apply(left, right);
        };
    }

    private Node unary() {
        char c = peek();
        if (c == '-') {
            int minus = pos;
            pos++;
            char next = peek();
            if (next >= '0' && next <= '9') return literal(minus); // JEXL gives -2 the literal's own type
            if (next == '-') throw new NotPlain(); // "--" is JEXL's decrement
            Node operand = unary();
            JexlArithmetic a = arithmetic;
            boolean nullsToJexl = a.isStrict(JexlOperator.NEGATE);
            return ctx -> {
                Object v = operand.eval(ctx);
                if (v == null && nullsToJexl) throw GiveUp.INSTANCE;
                return a.negate(v);
            };
        }
        if (c == '(') {
            pos++;
            Node inner = sum();
            if (peek() != ')') throw new NotPlain();
            pos++;
            return inner;
        }
        if (c >= '0' && c <= '9') return literal(pos);
        if (Character.isLetter(c) || c == '_') return variable();
        throw new NotPlain();
    }

    /**
     * Digits with an optional fraction (after a minus sign at {@code from}, if there is one), as the value JEXL gives
     * that text: its integer, long and octal rules.
     */
    private Node literal(int from) {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            int fraction = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            if (pos == fraction) throw new NotPlain();
        }
        if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'))
            throw new NotPlain(); // suffixes (2L, 2.5B), exponents, 1.2.3
        Object value = engine.createExpression(text.substring(from, pos)).evaluate(new MapContext());
        if (!(value instanceof Number)) throw new NotPlain();
        return ctx -> value;
    }

    private Node variable() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        String name = text.substring(start, pos);
        char after = peek();
        if (after == '(' || after == '.' || after == '[' || after == '?' || after == '$') throw new NotPlain();
        if (!jexlReadsAsVariable(name)) throw new NotPlain(); // a keyword: and, div, null, true, size...
        return ctx -> {
            Object v = ctx.get(name);
            if (v == null && !ctx.has(name)) throw GiveUp.INSTANCE; // JEXL's undefined-variable error, in strict mode
            return v;
        };
    }

    /** Whether JEXL reads {@code name} alone as the variable of that name (not a keyword or a constant). */
    private boolean jexlReadsAsVariable(String name) {
        Object marker = new Object();
        MapContext probe = new MapContext();
        probe.set(name, marker);
        return engine.createExpression(name).evaluate(probe) == marker;
    }

    private char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }
}
