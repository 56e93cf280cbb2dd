package io.dataflare.plugins.transforms.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What null and missing fields give in expressions, default mode against strict mode, on records of three
 * shapes: {@code x} holding a value, {@code x} explicitly null, and no {@code x} (nor {@code name}) at all.
 */
class NullSemanticsTest {
    private static final Record PRESENT = Record.of(Fields.of("id", "x", "name"), 1L, 5L, "Ann");
    private static final Record EXPLICIT_NULL = Record.of(Fields.of("id", "x", "name"), 2L, null, null);
    private static final Record MISSING = Record.of(Fields.of("id"), 3L);
    private static final Record[] ABSENT = {EXPLICIT_NULL, MISSING};

    private static Object eval(boolean strict, String text, Record r) {
        Expressions engine = new Expressions(strict);
        return engine.compile(text).evaluate(engine.newContext().bind(r));
    }

    private static Object[] evalAbsent(String text) {
        return Arrays.stream(ABSENT).map(r -> eval(false, text, r)).toArray();
    }

    @Test
    void aMissingFieldIsNullLikeAnExplicitNull() {
        assertThat(evalAbsent("x")).containsExactly(null, null);
        assertThat(evalAbsent("x == null")).containsExactly(true, true);
        assertThat(evalAbsent("x != null")).containsExactly(false, false);
        assertThat(evalAbsent("record['x'] == null")).containsExactly(true, true);
        assertThat(eval(false, "x == null", PRESENT)).isEqualTo(false);
        assertThat(eval(false, "x != null", PRESENT)).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x < 10", "x <= 10", "x > 1", "x >= 1", "10 > x", "1 <= x", "x < x", "x <= x", "x >= x"})
    void anOrderingComparisonWithNullIsFalse(String text) {
        assertThat(evalAbsent(text)).containsExactly(false, false);
        assertThat(eval(false, text.replace("x", "null"), MISSING)).isEqualTo(false);
        // Between values it is what strict mode says.
        assertThat(eval(false, text, PRESENT)).isEqualTo(eval(true, text, PRESENT));
    }

    @Test
    void anOrderingComparisonWithANullLiteralIsFalseToo() {
        assertThat(eval(false, "x <= null", PRESENT)).isEqualTo(false);
        assertThat(eval(false, "null >= x", PRESENT)).isEqualTo(false);
        assertThatThrownBy(() -> eval(true, "x <= null", PRESENT)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void equalityTreatsNullAsAValue() {
        assertThat(evalAbsent("x == 5")).containsExactly(false, false);
        assertThat(evalAbsent("x != 5")).containsExactly(true, true);
        assertThat(evalAbsent("x == x")).containsExactly(true, true);
        assertThat(eval(false, "null == null", MISSING)).isEqualTo(true);
        assertThat(eval(false, "x == 5", PRESENT)).isEqualTo(true);
        assertThat(eval(false, "x == 5.0", PRESENT)).isEqualTo(eval(true, "x == 5.0", PRESENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x + 1", "1 + x", "x - 1", "x * 2", "x / 2", "x % 2", "-x", "'n=' + x", "x & 1", "x << 1"})
    void arithmeticOnNullIsNull(String text) {
        assertThat(evalAbsent(text)).containsExactly(null, null);
        assertThat(eval(false, text, PRESENT)).isNotNull().isEqualTo(eval(true, text, PRESENT));
    }

    @Test
    void errorsBetweenValuesStayErrors() {
        assertThatThrownBy(() -> eval(false, "x / 0", PRESENT))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("expression 'x / 0' failed");
        assertThatThrownBy(() -> eval(false, "x % 0", PRESENT)).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> eval(false, "name.nosuchproperty", PRESENT))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("nosuchproperty");
        assertThatThrownBy(() -> eval(false, "nosuchfunction(x)", PRESENT))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("nosuchfunction");
    }

    @Test
    void accessOnNullIsNull() {
        assertThat(evalAbsent("name.toLowerCase()")).containsExactly(null, null);
        assertThat(evalAbsent("name.toLowerCase() == 'ann'")).containsExactly(false, false);
        assertThat(evalAbsent("name.length() > 2")).containsExactly(false, false);
        assertThat(evalAbsent("name.bytes")).containsExactly(null, null);
        assertThat(evalAbsent("x.y.z")).containsExactly(null, null);
        // Indexing takes JEXL's safe index operator.
        assertThat(evalAbsent("x?[0]")).containsExactly(null, null);
        assertThat(eval(false, "name.toLowerCase()", PRESENT)).isEqualTo("ann");
    }

    @Test
    void logicTreatsNullAsFalseAndDefaultsFillIn() {
        assertThat(evalAbsent("x ? 'yes' : 'no'")).containsExactly("no", "no");
        assertThat(evalAbsent("!x")).containsExactly(true, true);
        assertThat(evalAbsent("x ?? 0")).containsExactly(0, 0);
        assertThat(evalAbsent("x != null && x > 0")).containsExactly(false, false);
        assertThat(evalAbsent("x || name")).containsExactly(null, null);
        assertThat(evalAbsent("x > 0 || true")).containsExactly(true, true);
        assertThat(eval(false, "x ?? 0", PRESENT)).isEqualTo(5L);
    }

    @Test
    void aMethodAValueLacksGivesNullUnlessStrict() {
        // The price of engine-wide safe navigation: a misspelt method is null too; strict mode reports it.
        assertThat(eval(false, "name.toLowerCse()", PRESENT)).isNull();
        assertThatThrownBy(() -> eval(true, "name.toLowerCse()", PRESENT))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("toLowerCse");
    }

    @Test
    void strictModeRejectsMissingFieldsNullOperandsAndAccessOnNull() {
        for (String text : new String[] {"x", "x == null", "x > 1", "x + 1", "name.toLowerCase()"}) {
            assertThatThrownBy(() -> eval(true, text, MISSING))
                    .as(text)
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessage("expression '" + text + "' failed: variable '" + text.replaceAll("\\W.*", "")
                            + "' is undefined");
        }
        assertThatThrownBy(() -> eval(true, "x > 1", EXPLICIT_NULL))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("expression 'x > 1' failed: variable 'x' is null");
        assertThatThrownBy(() -> eval(true, "x * 2", EXPLICIT_NULL))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("expression 'x * 2' failed: variable 'x' is null");
        assertThatThrownBy(() -> eval(true, "name.toLowerCase()", EXPLICIT_NULL))
                .isInstanceOf(InvalidRecordException.class);
        // == and != accept null in strict mode too, on a field that exists.
        assertThat(eval(true, "x == null", EXPLICIT_NULL)).isEqualTo(true);
        assertThat(eval(true, "x != null", EXPLICIT_NULL)).isEqualTo(false);
    }
}
