package io.dataflare.workflow.choice;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.path.JsonPaths;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** A Choice rule's boolean expression. */
public sealed interface Condition {
    /**
     * Evaluates the condition on the state's input.
     *
     * @throws StatesError {@code States.Runtime} when a variable (other than IsPresent's) selects nothing
     */
    boolean test(JsonNode input, JsonNode context) throws StatesError;

    record And(List<Condition> all) implements Condition {
        @Override
        public boolean test(JsonNode input, JsonNode context) throws StatesError {
            for (Condition c : all) if (!c.test(input, context)) return false;
            return true;
        }
    }

    record Or(List<Condition> any) implements Condition {
        @Override
        public boolean test(JsonNode input, JsonNode context) throws StatesError {
            for (Condition c : any) if (c.test(input, context)) return true;
            return false;
        }
    }

    record Not(Condition negated) implements Condition {
        @Override
        public boolean test(JsonNode input, JsonNode context) throws StatesError {
            return !negated.test(input, context);
        }
    }

    /**
     * {@code Variable} compared by {@code op} with a literal {@code value} or, when {@code valuePath} is set,
     * with what that path selects.
     */
    record Comparison(String variable, Operator op, JsonNode value, String valuePath) implements Condition {
        @Override
        public boolean test(JsonNode input, JsonNode context) throws StatesError {
            if (op == Operator.IsPresent) return JsonPaths.present(variable, input, context) == value.booleanValue();
            JsonNode v = JsonPaths.read(variable, input, context);
            JsonNode operand = valuePath == null ? value : JsonPaths.read(valuePath, input, context);
            return switch (op.kind()) {
                case TYPE_TEST -> typeTest(v) == operand.booleanValue();
                case STRING ->
                    v.isTextual() && operand.isTextual() && cmp(v.textValue().compareTo(operand.textValue()));
                case NUMERIC ->
                    v.isNumber() && operand.isNumber() && cmp(number(v).compareTo(number(operand)));
                case BOOLEAN -> v.isBoolean() && operand.isBoolean() && v.booleanValue() == operand.booleanValue();
                case TIMESTAMP -> {
                    Instant a = timestamp(v), b = timestamp(operand);
                    yield a != null && b != null && cmp(a.compareTo(b));
                }
                case MATCHES -> v.isTextual() && matches(v.textValue(), operand.textValue());
            };
        }

        private boolean typeTest(JsonNode v) {
            return switch (op) {
                case IsNull -> v.isNull();
                case IsNumeric -> v.isNumber();
                case IsString -> v.isTextual();
                case IsBoolean -> v.isBoolean();
                case IsTimestamp -> timestamp(v) != null;
                default -> throw new IllegalStateException(op + " is not a type test");
            };
        }

        private boolean cmp(int c) {
            return switch (op.cmp()) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case GT -> c > 0;
                case LE -> c <= 0;
                case GE -> c >= 0;
            };
        }

        private static BigDecimal number(JsonNode n) {
            return n.decimalValue();
        }
    }

    /** An RFC 3339 timestamp ({@code 2026-01-01T00:00:00Z}, with an uppercase T and a zone), or null. */
    static Instant timestamp(JsonNode v) {
        if (!v.isTextual()) return null;
        String s = v.textValue();
        if (s.indexOf('T') < 0) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * StringMatches: {@code *} matches any run of characters; {@code \*} is a literal star and {@code \\} a
     * literal backslash.
     */
    static boolean matches(String s, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
                .matcher(s)
                .matches();
    }
}
