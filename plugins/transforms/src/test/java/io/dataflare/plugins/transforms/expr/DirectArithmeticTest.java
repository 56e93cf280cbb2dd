package io.dataflare.plugins.transforms.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain arithmetic evaluated without JEXL's interpreter gives exactly what the interpreter gives: the same value
 * of the same class, or the same error, on random expressions over fields of every kind a record holds (longs,
 * doubles, decimals, strings, null, a missing field, zero for the divisions), in both modes.
 */
class DirectArithmeticTest {
    private static final Record RECORD = Record.of(
            Fields.of("id", "amount", "price", "name", "digits", "none", "zero", "big", "record"),
            7L,
            2.5,
            new BigDecimal("10.50"),
            "Ann",
            "42",
            null,
            0L,
            Long.MAX_VALUE,
            3L);
    private static final List<String> OPERANDS = List.of(
            "id",
            "amount",
            "price",
            "name",
            "digits",
            "none",
            "zero",
            "big",
            "missing",
            "record",
            "2",
            "0",
            "7",
            "012",
            "2.5",
            "0.1",
            "2147483648",
            "9223372036854775807",
            "-3",
            "- 2147483648");
    private static final List<String> OPERATORS = List.of(" + ", " - ", " * ", " / ", " % ", "+", "*");

    @ParameterizedTest
    @ValueSource(
            strings = {"id * 2", "(price - amount) / id", "-amount + 1", "id % 3", "  id*2  ", "-(id)", "a_b1 * 2"})
    void plainArithmeticIsEvaluatedDirectly(String text) {
        assertThat(new Expressions(false).compile(text).direct()).isTrue();
        assertThat(new Expressions(true).compile(text).direct()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "size(name)",
                "name.length()",
                "id > 2 ? id : 0",
                "record['id'] * 2",
                "id == 7",
                "2L * id",
                "1e3 * id",
                "2.5B * id",
                "null + 1",
                "true",
                "id div 2",
                "id mod 2",
                "'a' + id",
                "!id",
                "id && zero",
                "empty(name)",
                "id // comment",
                "id /* c */ * 2",
                "$x * 2"
            })
    void anythingElseStaysWithJexl(String text) {
        assertThat(new Expressions(false).compile(text).direct()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomExpressionsGiveWhatTheInterpreterGives(boolean strict) {
        Expressions engine = new Expressions(strict);
        RecordContext ctx = engine.newContext().bind(RECORD);
        Random random = new Random(20261206L);
        int direct = 0;
        for (int n = 0; n < 3000; n++) {
            String text = expression(random, 3);
            CompiledExpression fast = engine.compile(text);
            CompiledExpression reference = engine.compileInterpreted(text);
            if (fast.direct()) direct++;
            Outcome expected = outcome(reference, ctx);
            Outcome actual = outcome(fast, ctx);
            assertThat(actual).as(text).isEqualTo(expected);
        }
        // the generator stays inside the subset but for the keyword-free parts JEXL refuses: most go direct
        assertThat(direct).isGreaterThan(2700);
    }

    private record Outcome(Object value, Class<?> type, String error) {}

    private static Outcome outcome(CompiledExpression e, RecordContext ctx) {
        try {
            Object v = e.evaluate(ctx);
            return new Outcome(v, v == null ? null : v.getClass(), null);
        } catch (InvalidRecordException x) {
            return new Outcome(null, null, x.getMessage());
        }
    }

    private static String expression(Random random, int depth) {
        int pick = random.nextInt(depth == 0 ? 2 : 6);
        return switch (pick) {
            case 0, 1 -> OPERANDS.get(random.nextInt(OPERANDS.size()));
            case 2 -> "(" + expression(random, depth - 1) + ")";
            case 3 -> "-" + (random.nextBoolean() ? "(" + expression(random, depth - 1) + ")" : "id");
            default ->
                expression(random, depth - 1)
                        + OPERATORS.get(random.nextInt(OPERATORS.size()))
                        + expression(random, depth - 1);
        };
    }
}
