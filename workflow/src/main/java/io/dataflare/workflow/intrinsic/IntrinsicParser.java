package io.dataflare.workflow.intrinsic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.workflow.path.JsonPaths;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an intrinsic function call, by recursive descent over this grammar:
 *
 * <pre>
 * call    := NAME '(' [ arg (',' arg)* ] ')'          NAME: States.Xxx
 * arg     := call | path | string | number | 'true' | 'false' | 'null'
 * path    := '$' ...                                  up to the next ',' or ')' outside brackets and quotes
 * string  := "'" ( char | '\' ( "'" | '{' | '}' | '\' ) )* "'"
 * number  := '-'? digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)?
 * </pre>
 *
 * Function names and their argument counts are checked here, so a definition with a wrong call does not run.
 */
public final class IntrinsicParser {
    /** Marks an unescaped {@code {}} in a string literal's template. */
    public static final char PLACEHOLDER = '\uFFFF';

    private final String text;
    private int pos;

    private IntrinsicParser(String text) {
        this.text = text;
    }

    /** Whether a {@code .$} value is meant as an intrinsic call (not a path). */
    public static boolean looksLikeCall(String value) {
        return value.startsWith("States.");
    }

    /**
     * Parses one call.
     *
     * @throws IntrinsicSyntaxException saying what is wrong and where (a 1-based character position)
     */
    public static Expr.Call parse(String text) throws IntrinsicSyntaxException {
        IntrinsicParser p = new IntrinsicParser(text);
        p.skipSpaces();
        Expr e = p.arg();
        if (!(e instanceof Expr.Call call)) throw p.error("expected an intrinsic function call", 0);
        p.skipSpaces();
        if (p.pos < text.length()) throw p.error("unexpected '" + text.substring(p.pos) + "' after the call", p.pos);
        return call;
    }

    private Expr arg() throws IntrinsicSyntaxException {
        skipSpaces();
        if (pos >= text.length()) throw error("expected an argument, found the end", pos);
        char c = text.charAt(pos);
        int start = pos;
        if (c == '\'') return string();
        if (c == '$') return path();
        if (c == '-' || Character.isDigit(c)) return number();
        if (Character.isLetter(c)) {
            String word = word();
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == '(') return call(word, start);
            return switch (word) {
                case "true" -> new Expr.Literal(JsonNodeFactory.instance.booleanNode(true), null, start);
                case "false" -> new Expr.Literal(JsonNodeFactory.instance.booleanNode(false), null, start);
                case "null" -> new Expr.Literal(JsonNodeFactory.instance.nullNode(), null, start);
                default -> throw error("'" + word + "' is neither a function call nor a value", start);
            };
        }
        throw error("unexpected '" + c + "'", pos);
    }

    private Expr.Call call(String name, int start) throws IntrinsicSyntaxException {
        Intrinsics.Function f = Intrinsics.function(name);
        if (f == null) throw error("unknown intrinsic function '" + name + "'", start);
        pos++; // (
        List<Expr> args = new ArrayList<>();
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == ')') {
            pos++;
        } else {
            while (true) {
                args.add(arg());
                skipSpaces();
                if (pos >= text.length()) throw error("'" + name + "(' is not closed", start);
                char c = text.charAt(pos++);
                if (c == ')') break;
                if (c != ',') throw error("expected ',' or ')', found '" + c + "'", pos - 1);
            }
        }
        if (args.size() < f.minArgs() || args.size() > f.maxArgs()) {
            String expected = f.minArgs() == f.maxArgs()
                    ? String.valueOf(f.minArgs())
                    : f.maxArgs() == Integer.MAX_VALUE ? f.minArgs() + " or more" : f.minArgs() + " to " + f.maxArgs();
            throw error(name + " takes " + expected + " argument(s), not " + args.size(), start);
        }
        return new Expr.Call(name, List.copyOf(args), start);
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) pos++;
        return text.substring(start, pos);
    }

    private Expr string() throws IntrinsicSyntaxException {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        StringBuilder template = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("the string is not closed", start);
            char c = text.charAt(pos++);
            if (c == '\'') break;
            if (c == '\\') {
                if (pos >= text.length()) throw error("the string is not closed", start);
                char e = text.charAt(pos++);
                if (e != '\'' && e != '{' && e != '}' && e != '\\')
                    throw error("'\\" + e + "' is not an escape (use \\', \\{, \\} or \\\\)", pos - 2);
                value.append(e);
                template.append(e);
            } else if (c == '{' && pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                value.append("{}");
                template.append(PLACEHOLDER);
            } else {
                value.append(c);
                template.append(c);
            }
        }
        return new Expr.Literal(JsonNodeFactory.instance.textNode(value.toString()), template.toString(), start);
    }

    private Expr path() throws IntrinsicSyntaxException {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote != 0) {
                if (c == '\\') pos++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || (c == ')' && depth > 0)) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')' || Character.isWhitespace(c))) {
                break;
            }
            pos++;
        }
        String path = text.substring(start, pos);
        String bad = JsonPaths.check(path, false);
        if (bad != null) throw error(bad, start);
        return new Expr.PathRef(path, start);
    }

    private Expr number() throws IntrinsicSyntaxException {
        int start = pos;
        if (text.charAt(pos) == '-') pos++;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || "eE.+-".indexOf(text.charAt(pos)) >= 0))
            pos++;
        String n = text.substring(start, pos);
        try {
            BigDecimal d = new BigDecimal(n);
            boolean integral = n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0;
            return new Expr.Literal(
                    integral
                            ? JsonNodeFactory.instance.numberNode(
                                    d.toBigIntegerExact().longValueExact())
                            : JsonNodeFactory.instance.numberNode(d),
                    null,
                    start);
        } catch (ArithmeticException | NumberFormatException e) {
            throw error("'" + n + "' is not a number", start);
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IntrinsicSyntaxException error(String message, int at) {
        return new IntrinsicSyntaxException("in '" + text + "' at character " + (at + 1) + ": " + message);
    }
}
